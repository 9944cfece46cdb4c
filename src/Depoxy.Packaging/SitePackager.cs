using System.Text.Json;
using Depoxy.Build.Engine;
using Depoxy.Packaging.Zip;

namespace Depoxy.Packaging;

/// <summary>
/// Zips a static site folder (www/, app/): its npm build's dist/ when package.json has a build script, else the
/// folder as it is.
/// </summary>
public sealed class SitePackager(string repositoryRoot)
{
    public static readonly IReadOnlyList<string> KnownSites = ["www", "app"];

    public IEnumerable<string> Present() => KnownSites.Where(name => Directory.Exists(Path.Combine(repositoryRoot, name)));

    /// <summary>
    /// Checked before a run takes the stage lock: an empty site folder would be published as an empty release and
    /// refused only at its sync, after the stacks were applied.
    /// </summary>
    public void EnsureNotEmpty()
    {
        foreach (var name in Present())
            if (!Directory.EnumerateFiles(Path.Combine(repositoryRoot, name), "*", SearchOption.AllDirectories).Any())
                throw new PackagingException($"{name}/ has no files: put the site back (git checkout -- {name}), or delete the {name}/ folder to release no {name} site");
    }

    public async Task<string> PackageAsync(string name, string zipPath, CancellationToken cancellationToken = default)
    {
        var folder = Path.Combine(repositoryRoot, name);
        var content = folder;
        if (HasBuildScript(Path.Combine(folder, "package.json")))
        {
            if (!File.Exists(Path.Combine(folder, "package-lock.json")))
                throw new PackagingException($"{name}/package-lock.json is missing: run npm install in {name}/ and commit the lock file (the build uses npm ci).");
            await Tool.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], folder, cancellationToken: cancellationToken);
            await Tool.RunAsync("npm", ["run", "build"], folder, cancellationToken: cancellationToken);
            content = Path.Combine(folder, "dist");
            if (!Directory.Exists(content))
                throw new PackagingException($"npm run build in {name}/ wrote no dist/ folder: the site's build must output to {name}/dist.");
        }
        EnsureInsideRepository(name, content);
        var files = FolderFiles.Collect(content);
        if (files.Count == 0)
            throw new PackagingException($"{Path.GetRelativePath(repositoryRoot, content)}/ has no files: a site needs at least its index.html");
        DeterministicZip.CreateFile(zipPath, files);
        return zipPath;
    }

    /// <summary>The site folder (or its dist/) may itself be a link: it must not lead out of the repository.</summary>
    private void EnsureInsideRepository(string name, string content)
    {
        var repository = SymbolicLinks.RealPath(repositoryRoot);
        var real = SymbolicLinks.RealPath(content);
        var relative = Path.GetRelativePath(repository, real);
        if (relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative))
            throw new PackagingException(
                $"{Path.GetRelativePath(repositoryRoot, content)} of site {name} leads through a symbolic link to {real}, outside the repository: replace the link with the folder itself.");
    }

    private static bool HasBuildScript(string packageJson)
    {
        if (!File.Exists(packageJson)) return false;
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(packageJson));
            return json.RootElement.TryGetProperty("scripts", out var scripts)
                && scripts.ValueKind == JsonValueKind.Object
                && scripts.TryGetProperty("build", out _);
        }
        catch (JsonException e)
        {
            throw new PackagingException($"{packageJson} is not valid JSON ({e.Message}): fix it.");
        }
    }
}
