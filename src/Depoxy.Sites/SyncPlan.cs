using System.Security.Cryptography;
using System.Text;

namespace Depoxy.Sites;

/// <summary>An object listed under the target, keyed by its path relative to the target's prefix.</summary>
internal sealed record RemoteObject(string RelativePath, string ETag, long Size, DateTime LastModified);

internal sealed record PlannedUpload(SourceFile File, ObjectHeaders Headers, byte[] Md5, RemoteObject? Replaces);

/// <summary>What a sync will do, decided before anything is written.</summary>
internal sealed record SyncPlan(
    IReadOnlyList<PlannedUpload> Uploads, IReadOnlyList<RemoteObject> Deletions, int Unchanged, SyncManifest Manifest)
{
    /// <summary>
    /// Compares by MD5: a single-part PutObject's ETag is the MD5 of the bytes and every listing carries it, so one
    /// paginated listing decides content without a request per file (a sha256 in metadata would need a HeadObject
    /// each). ETags that are not a plain MD5 (multipart, SSE-KMS) never match and are simply re-put.
    /// </summary>
    public static async Task<SyncPlan> CreateAsync(SiteSource source, IReadOnlyDictionary<string, RemoteObject> remote,
        SyncManifest manifest, TimeSpan shortMaxAge, CancellationToken cancellationToken)
    {
        var hashes = new byte[source.Files.Count][];
        await Parallel.ForAsync(0, source.Files.Count, cancellationToken, async (i, token) =>
        {
            await using var stream = File.OpenRead(source.Files[i].FullPath);
            hashes[i] = await MD5.HashDataAsync(stream, token);
        });

        var uploads = new List<PlannedUpload>();
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < source.Files.Count; i++)
        {
            var file = source.Files[i];
            var headers = ObjectHeaders.For(file.RelativePath, shortMaxAge);
            entries[file.RelativePath] = headers.Hash;
            remote.TryGetValue(file.RelativePath, out var existing);
            var same = existing is not null && existing.Size == file.Length
                       && existing.ETag.Equals(Convert.ToHexStringLower(hashes[i]), StringComparison.OrdinalIgnoreCase)
                       && manifest.Matches(file.RelativePath, headers);
            if (!same) uploads.Add(new PlannedUpload(file, headers, hashes[i], existing));
        }
        var local = source.Files.Select(f => f.RelativePath).ToHashSet(StringComparer.Ordinal);
        var deletions = remote.Values.Where(o => !local.Contains(o.RelativePath)).OrderBy(o => o.RelativePath, StringComparer.Ordinal).ToList();
        return new SyncPlan(uploads, deletions, source.Files.Count - uploads.Count, new SyncManifest(entries) { Pending = manifest.Pending })
        {
            TargetWasServed = remote.Count > 0,
            Carried = manifest.Pending,
        };
    }

    /// <summary>False for a first sync into an empty target, which CloudFront cannot have cached anything of.</summary>
    public bool TargetWasServed { get; init; }

    /// <summary>Paths an earlier sync changed whose invalidation never completed (it failed, or the run was interrupted).</summary>
    public IReadOnlyList<string> Carried { get; init; } = [];

    /// <summary>
    /// What CloudFront may hold a stale copy of, in either direction: overwritten and deleted files, files that come
    /// back after a release removed them (a cached error), and what earlier syncs left uninvalidated. New
    /// content-hashed files are left out: such a name only ever holds the same bytes.
    /// </summary>
    public IEnumerable<string> StalePaths =>
        Uploads.Where(u => u.Replaces is not null || (TargetWasServed && u.Headers.CacheControl != ObjectHeaders.Immutable))
            .Select(u => u.File.RelativePath)
            .Concat(Deletions.Select(d => d.RelativePath))
            .Concat(Carried)
            .Distinct(StringComparer.Ordinal);

    /// <summary>
    /// The CallerReference of this change: the same change gives the same reference, so a retried invalidation is
    /// not duplicated. It covers the replaced objects' ETag and LastModified, so redeploying content seen before
    /// (A → B, back to A, then B again) still is a new reference.
    /// </summary>
    public string ChangeReference(SiteTarget target)
    {
        var text = new StringBuilder(target.ToString()).Append('\n');
        foreach (var upload in Uploads.Where(u => u.Replaces is not null))
            text.Append($"put {upload.File.RelativePath} {Describe(upload.Replaces!)} {Convert.ToHexStringLower(upload.Md5)} {upload.Headers.Hash}\n");
        foreach (var deletion in Deletions)
            text.Append($"delete {deletion.RelativePath} {Describe(deletion)}\n");
        foreach (var carried in Carried)
            text.Append($"carried {carried}\n");
        return "depoxy-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..40];
    }

    private static string Describe(RemoteObject o) => $"{o.ETag} {o.LastModified.ToUniversalTime():O}";
}
