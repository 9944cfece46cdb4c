using System.IO.Compression;

namespace Depoxy.Sites;

public sealed record SourceFile(string RelativePath, string FullPath, long Length);

/// <summary>The files of a site: a folder as it is, or a site zip (artifacts/sites/www.zip) extracted to a temporary folder.</summary>
public sealed class SiteSource : IDisposable
{
    private readonly string? _temporary;

    private SiteSource(string description, string root, string? temporary)
    {
        Description = description;
        _temporary = temporary;
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.None };
        Files = Directory.EnumerateFiles(root, "*", options)
            .Select(path => new SourceFile(Path.GetRelativePath(root, path).Replace('\\', '/'), path, new FileInfo(path).Length))
            .OrderBy(f => f.RelativePath, StringComparer.Ordinal)
            .ToList();
    }

    public string Description { get; }

    public IReadOnlyList<SourceFile> Files { get; }

    public static SiteSource Open(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) return new SiteSource(full, full, null);
        if (File.Exists(full) && full.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            var folder = Directory.CreateTempSubdirectory("depoxy-site-").FullName;
            try
            {
                // ExtractToDirectory refuses entries that would land outside the folder.
                ZipFile.ExtractToDirectory(full, folder);
                return new SiteSource(full, folder, folder);
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                Directory.Delete(folder, recursive: true);
                throw new SiteSyncException($"site zip {full} cannot be read ({e.Message}): rebuild it with ./build.sh Package");
            }
        }
        throw new SiteSyncException(File.Exists(full)
            ? $"site source {full} is neither a folder nor a .zip: pass a site folder or a site zip such as artifacts/sites/www.zip"
            : $"site source {full} not found: pass a site folder or a site zip such as artifacts/sites/www.zip (./build.sh Package writes them)");
    }

    public void Dispose()
    {
        if (_temporary is not null && Directory.Exists(_temporary)) Directory.Delete(_temporary, recursive: true);
    }
}
