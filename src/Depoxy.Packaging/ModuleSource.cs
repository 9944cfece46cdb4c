using System.Text.RegularExpressions;
using Depoxy.Packaging.Zip;

namespace Depoxy.Packaging;

/// <summary>A Terraform module folder, modules/&lt;name&gt;/, released at the version its VERSION file names.</summary>
public sealed partial record ModuleSource(string Name, string Version, string Directory)
{
    public const string VersionFile = "VERSION";

    public string Key => ReleaseManifest.ModuleKey(Name, Version);

    public string ZipFileName => $"{Name}-{Version}.zip";

    /// <summary>The module's files as they go into its zip; VERSION names the release and is not part of it.</summary>
    public IReadOnlyList<ZipInput> Files() => FolderFiles.Collect(Directory, include: IsModuleFile);

    public string ContentSha256() => ContentHash.Of(Files());

    /// <summary>Every modules/&lt;name&gt;/ with a VERSION file, in name order; none when modules/ is absent.</summary>
    public static IReadOnlyList<ModuleSource> Discover(string repositoryRoot)
    {
        var modules = Path.Combine(repositoryRoot, "modules");
        if (!System.IO.Directory.Exists(modules)) return [];
        return System.IO.Directory.EnumerateDirectories(modules)
            .Where(d => File.Exists(Path.Combine(d, VersionFile)))
            .Select(Read)
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .ToList();
    }

    public static ModuleSource Read(string directory)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(directory));
        var version = File.ReadAllText(Path.Combine(directory, VersionFile)).Trim();
        if (!VersionPattern().IsMatch(version))
            throw new PackagingException(
                $"modules/{name}/VERSION holds '{version}', which is not a semantic version: write MAJOR.MINOR.PATCH such as 1.0.0 (no 'v'; 1.1.0-rc.1 for a pre-release).");
        if (!NamePattern().IsMatch(name))
            throw new PackagingException($"modules/{name} is not a valid module name: use lower-case letters, digits and '-'.");
        return new ModuleSource(name, version, directory);
    }

    private static bool IsModuleFile(string entry) =>
        entry != VersionFile && !entry.EndsWith(".tfstate", StringComparison.Ordinal) && !entry.Contains(".tfstate.", StringComparison.Ordinal)
        && !entry.EndsWith(".tfplan", StringComparison.Ordinal);

    /// <summary>
    /// Semantic versioning 2.0's MAJOR.MINOR.PATCH with an optional pre-release, without build metadata: '+' is awkward
    /// in S3 keys, and two builds of one version would be the same version to Terraform's constraints.
    /// </summary>
    [GeneratedRegex(@"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-(0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)(\.(0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*))*)?$")]
    private static partial Regex VersionPattern();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9_-]{0,62}$")]
    private static partial Regex NamePattern();
}
