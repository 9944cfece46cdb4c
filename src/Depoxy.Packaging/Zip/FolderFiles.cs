namespace Depoxy.Packaging.Zip;

/// <summary>The files of a folder as zip inputs, in ordinal entry-name order, skipping tool caches that are never content.</summary>
public static class FolderFiles
{
    private static readonly HashSet<string> SkippedDirectories = new(StringComparer.Ordinal) { ".git", ".terraform", "node_modules" };

    public static IReadOnlyList<ZipInput> Collect(string folder, FileModes? modes = null, Func<string, bool>? include = null)
    {
        if (!Directory.Exists(folder)) throw new PackagingException($"{folder} does not exist: nothing to package there.");
        modes ??= FileModes.Default;
        var root = Path.GetFullPath(folder);
        var inputs = new List<ZipInput>();
        Walk(root, root, modes, include, inputs);
        inputs.Sort((a, b) => string.CompareOrdinal(a.EntryName, b.EntryName));
        return inputs;
    }

    private static void Walk(string root, string directory, FileModes modes, Func<string, bool>? include, List<ZipInput> inputs)
    {
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            var entry = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
            if (include is null || include(entry)) inputs.Add(new ZipInput(entry, file, modes.For(entry, file)));
        }
        foreach (var sub in Directory.EnumerateDirectories(directory))
            if (!SkippedDirectories.Contains(Path.GetFileName(sub)))
                Walk(root, sub, modes, include, inputs);
    }
}
