using Depoxy.Build.Engine;

static class Workspace
{
    /// <summary>Deletes build outputs but never the running build's own copy under .nuke/temp.</summary>
    public static void Clean(string root)
    {
        var folders = new[] { "src", "tests", "api", "build", "bench" }
            .Select(f => Path.Combine(root, f))
            .Where(Directory.Exists)
            .SelectMany(f => Directory.EnumerateDirectories(f, "*", SearchOption.AllDirectories))
            .Where(d => Path.GetFileName(d) is "bin" or "obj" && !d.Contains("node_modules", StringComparison.Ordinal))
            .Append(Path.Combine(root, "artifacts"))
            .Where(Directory.Exists)
            .ToList();
        foreach (var folder in folders)
        {
            Log.Info("Deleting " + Path.GetRelativePath(root, folder));
            Directory.Delete(folder, recursive: true);
        }
    }
}
