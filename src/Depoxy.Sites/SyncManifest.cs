using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;

namespace Depoxy.Sites;

/// <summary>
/// What the last sync put under the target: the header hash of each object. S3 listings carry no metadata, so this
/// one object lets a sync detect header-only changes without a HeadObject per file. Headers rewritten by another tool
/// over the same bytes are not seen; a target first synced by another tool has no entries, so every file is re-put once.
/// </summary>
internal sealed record SyncManifest(IReadOnlyDictionary<string, string> Headers)
{
    public const string FileName = ".depoxy-sync.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static SyncManifest Empty { get; } = new(new Dictionary<string, string>());

    /// <summary>Paths changed by a sync whose CloudFront invalidation has not completed yet; the next sync invalidates them too.</summary>
    public IReadOnlyList<string> Pending { get; init; } = [];

    public bool Matches(string relativePath, ObjectHeaders headers) =>
        Headers.TryGetValue(relativePath, out var hash) && hash == headers.Hash;

    public SyncManifest Without(IEnumerable<string> relativePaths)
    {
        var kept = new Dictionary<string, string>(Headers, StringComparer.Ordinal);
        foreach (var path in relativePaths) kept.Remove(path);
        return new SyncManifest(kept) { Pending = Pending };
    }

    public bool SameAs(SyncManifest other) =>
        Headers.Count == other.Headers.Count
        && Headers.All(entry => other.Headers.TryGetValue(entry.Key, out var hash) && hash == entry.Value)
        && Pending.Order(StringComparer.Ordinal).SequenceEqual(other.Pending.Order(StringComparer.Ordinal), StringComparer.Ordinal);

    public static async Task<SyncManifest> LoadAsync(IAmazonS3 s3, SiteTarget target, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await s3.GetObjectAsync(target.Bucket, target.Key(FileName), cancellationToken);
            var document = await JsonSerializer.DeserializeAsync<Document>(response.ResponseStream, Json, cancellationToken);
            return document?.Headers is { } headers
                ? new SyncManifest(new Dictionary<string, string>(headers, StringComparer.Ordinal)) { Pending = document.Pending ?? [] }
                : Empty;
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "NoSuchKey" || e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return Empty;
        }
        catch (JsonException)
        {
            // An unreadable manifest only costs a re-put of every file.
            return Empty;
        }
    }

    public Task SaveAsync(IAmazonS3 s3, SiteTarget target, CancellationToken cancellationToken) =>
        s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = target.Bucket,
            Key = target.Key(FileName),
            ContentBody = JsonSerializer.Serialize(new Document(1, new SortedDictionary<string, string>(Headers.ToDictionary(), StringComparer.Ordinal),
                Pending.Count == 0 ? null : [.. Pending.Order(StringComparer.Ordinal)]), Json),
            ContentType = "application/json; charset=utf-8",
            Headers = { CacheControl = "no-store" },
        }, cancellationToken);

    private sealed record Document(int Version, IDictionary<string, string> Headers, IReadOnlyList<string>? Pending = null);
}
