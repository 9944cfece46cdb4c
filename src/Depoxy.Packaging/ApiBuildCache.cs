using Depoxy.Build.Engine;

namespace Depoxy.Packaging;

/// <summary>Somewhere an API build of given inputs may already exist: the local cache, a stage's artifacts bucket.</summary>
public interface IApiBuildSource
{
    /// <summary>
    /// Writes the build of <paramref name="inputHash"/> to <paramref name="zipPath"/> (and its .base64sha256 beside it)
    /// once its bytes are verified; returns what was reused, or null when there is none to reuse.
    /// </summary>
    Task<string?> TryRestoreAsync(string inputHash, string zipPath, CancellationToken cancellationToken = default);
}

/// <summary>
/// API builds by input hash, one folder each (&lt;dir&gt;/&lt;input-hash&gt;/api.zip and its .base64sha256), written
/// after every real build. Several clones may share one (--api-build-cache): an entry appears whole or not at all.
/// </summary>
public sealed class ApiBuildCache(string directory) : IApiBuildSource
{
    public const string ZipName = "api.zip";

    public static string DefaultDirectory(string repositoryRoot) => Path.Combine(repositoryRoot, ".nuke", "temp", "api-builds");

    public string Directory { get; } = Path.GetFullPath(directory);

    public string EntryFor(string inputHash) => Path.Combine(Directory, inputHash);

    public Task<string?> TryRestoreAsync(string inputHash, string zipPath, CancellationToken cancellationToken = default)
    {
        var entry = EntryFor(inputHash);
        var cachedZip = Path.Combine(entry, ZipName);
        if (!File.Exists(cachedZip)) return Task.FromResult<string?>(null);
        var recorded = File.Exists(cachedZip + FileDigest.HashFileSuffix) ? File.ReadAllText(cachedZip + FileDigest.HashFileSuffix).Trim() : "(none)";
        var actual = FileDigest.Of(cachedZip).Base64Sha256;
        if (actual != recorded)
        {
            Log.Warn($"API build cache entry {entry} holds bytes of sha256 {actual}, its {FileDigest.HashFileSuffix} says {recorded}: discarded, building the API");
            System.IO.Directory.Delete(entry, recursive: true);
            return Task.FromResult<string?>(null);
        }
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(zipPath))!);
        File.Copy(cachedZip, zipPath, overwrite: true);
        FileDigest.WriteHashFile(zipPath);
        return Task.FromResult<string?>($"the local cache {entry}");
    }

    /// <summary>Keeps a build of <paramref name="inputHash"/>; an entry another clone wrote meanwhile is kept as it is.</summary>
    public void Store(string inputHash, string zipPath)
    {
        var entry = EntryFor(inputHash);
        if (System.IO.Directory.Exists(entry)) return;
        var staging = Path.Combine(Directory, $".{inputHash}.{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(staging);
        var stagedZip = Path.Combine(staging, ZipName);
        File.Copy(zipPath, stagedZip);
        FileDigest.WriteHashFile(stagedZip);
        try
        {
            System.IO.Directory.Move(staging, entry);
        }
        catch (IOException) when (System.IO.Directory.Exists(entry))
        {
            System.IO.Directory.Delete(staging, recursive: true);
        }
    }
}
