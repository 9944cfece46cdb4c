namespace Depoxy.Packaging.Zip;

/// <summary>
/// The files of a folder as zip inputs, in ordinal entry-name order, skipping tool caches that are never content.
/// A symbolic link anywhere below the folder is refused (see <see cref="SymbolicLinks"/>), before it is followed.
/// </summary>
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
        // Entries are listed without following links: a dangling link or a link loop is listed like any file, so it
        // gets the same refusal instead of FileNotFoundException or "Too many levels of symbolic links".
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var name = Path.GetRelativePath(root, entry.FullName).Replace(Path.DirectorySeparatorChar, '/');
            if (entry is DirectoryInfo && SkippedDirectories.Contains(entry.Name)) continue;
            SymbolicLinks.Refuse(entry, root, name);
            if (entry is DirectoryInfo) Walk(root, entry.FullName, modes, include, inputs);
            else if (include is null || include(name)) inputs.Add(new ZipInput(name, entry.FullName, modes.For(name, entry.FullName)));
        }
    }
}
