namespace Depoxy.Packaging.Zip;

/// <summary>
/// Symbolic links are refused, not stored as links: S3 (where sites go) has no links, a link stored in a Lambda zip
/// points at a path of the build machine that does not exist on Lambda, and following one would put whatever it
/// names, even a file outside the repository, into a release. A copy of the file is what a release can carry.
/// </summary>
public static class SymbolicLinks
{
    /// <summary>Throws one line naming the link, where it points and the fix, if <paramref name="entry"/> is a link.</summary>
    public static void Refuse(FileSystemInfo entry, string folder, string entryName)
    {
        if (entry.LinkTarget is not { } target) return;
        var shown = Path.Combine(Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)), entryName).Replace(Path.DirectorySeparatorChar, '/');
        throw new PackagingException(
            $"{shown} is a symbolic link (to {target}{Describe(entry)}): releases carry no links; replace it with a copy of the file it names, or delete it.");
    }

    /// <summary>Refuses a zip input whose source is a link, whoever listed it.</summary>
    public static void Refuse(ZipInput input)
    {
        var file = new FileInfo(input.SourcePath);
        if (file.LinkTarget is { } target)
            throw new PackagingException(
                $"{input.SourcePath} (zip entry {input.EntryName}) is a symbolic link (to {target}{Describe(file)}): releases carry no links; replace it with a copy of the file it names, or delete it.");
    }

    /// <summary>The path with every link along it resolved, as realpath(3) gives it.</summary>
    public static string RealPath(string path, int depth = 0)
    {
        if (depth > 40) throw new PackagingException($"{path} goes through more than 40 symbolic links: replace the links along it with folders.");
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var current = root;
        var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            current = Path.Combine(current, parts[i]);
            var info = new FileInfo(current);
            if (info.LinkTarget is not { } target) continue;
            var resolved = Path.GetFullPath(target, Path.GetDirectoryName(current)!);
            return RealPath(Path.Combine([resolved, .. parts[(i + 1)..]]), depth + 1);
        }
        return current;
    }

    private static string Describe(FileSystemInfo link)
    {
        try
        {
            var final = link.ResolveLinkTarget(returnFinalTarget: true);
            return final is null || !final.Exists ? ", which does not exist" : "";
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return ", which does not exist";
        }
        catch (IOException)
        {
            return ", a loop of links";
        }
    }
}
