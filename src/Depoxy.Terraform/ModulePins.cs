using System.Text.RegularExpressions;

namespace Depoxy.Terraform;

/// <summary>A stack's module source pinned at a published version: where it is and what modules/&lt;name&gt;/VERSION says now.</summary>
public sealed record ModulePin(string File, int Line, string Module, string Pinned, string Current)
{
    public bool IsStale => Pinned != Current;
}

/// <summary>
/// The module versions a stack's sources name, against each module's VERSION. dev must run every module's current
/// version, or a module change would never ship; prod may run behind, and its plan summary says where.
/// </summary>
public static partial class ModulePins
{
    public static IReadOnlyList<ModulePin> Of(string rootDirectory, TerraformStack stack)
    {
        var pins = new List<ModulePin>();
        var folder = stack.Directory(rootDirectory);
        if (!Directory.Exists(folder)) return pins;
        foreach (var file in Directory.EnumerateFiles(folder, "*.tf").Order(StringComparer.Ordinal))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
                if (PublishedSource().Match(lines[i]) is { Success: true } match
                    && Path.Combine(rootDirectory, "modules", match.Groups["name"].Value, "VERSION") is var versionFile && File.Exists(versionFile))
                    pins.Add(new ModulePin(Path.GetRelativePath(rootDirectory, file).Replace('\\', '/'), i + 1, match.Groups["name"].Value,
                        match.Groups["version"].Value, File.ReadAllText(versionFile).Trim()));
        }
        return pins;
    }

    /// <summary>Throws, naming file, line and fix of each, when a dev stack's source pins a module below its VERSION.</summary>
    public static void EnsureCurrent(string rootDirectory, TerraformStack stack)
    {
        if (stack.Stage != "dev") return;
        var stale = Of(rootDirectory, stack).Where(p => p.IsStale).ToList();
        if (stale.Count > 0)
            throw new TerraformException(string.Join("; ", stale.Select(p =>
                $"{p.File}:{p.Line}: module {p.Module} is pinned at {p.Pinned} but modules/{p.Module}/VERSION is {p.Current}: change the source to " +
                $".../modules/{p.Module}/{p.Current}/{p.Module}.zip (dev runs every module's current version)")));
    }

    [GeneratedRegex(@"^\s*source\s*=\s*""s3::[^""]*/modules/(?<name>[a-z0-9_-]+)/(?<version>[^/""]+)/[^""]*""")]
    private static partial Regex PublishedSource();
}
