using System.Net;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;

namespace Depoxy.Deploy;

/// <summary>A terraform state lock (<c>&lt;state key&gt;.tflock</c>, the S3 backend's use_lockfile lock) and what it says of its holder.</summary>
public sealed record StateLock(string Key, string? Who, string? Operation, string? Created)
{
    public override string ToString() => $"{Key} ({Operation ?? "unknown operation"} by {Who ?? "unknown"} since {Created ?? "an unknown time"})";
}

/// <summary>
/// Terraform's own locks on a stage's states. They are taken only by runs that hold the stage lock, so once that
/// lock's holder is dead (BreakLock checked it) any left are an interrupted run's, and may go.
/// </summary>
public sealed class StateLocks(IAmazonS3 s3, string bucket)
{
    public const string Suffix = ".tflock";

    public async Task<IReadOnlyList<StateLock>> ListAsync(string stage, CancellationToken cancellationToken = default)
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = stage + "/" };
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(request, cancellationToken);
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key).Where(k => k.EndsWith(Suffix, StringComparison.Ordinal)));
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);

        var locks = new List<StateLock>();
        foreach (var key in keys)
            try
            {
                using var response = await s3.GetObjectAsync(bucket, key, cancellationToken);
                var info = await JsonSerializer.DeserializeAsync<JsonElement>(response.ResponseStream, cancellationToken: cancellationToken);
                string? Field(string name) => info.ValueKind == JsonValueKind.Object && info.TryGetProperty(name, out var v) ? v.ToString() : null;
                locks.Add(new StateLock(key, Field("Who"), Field("Operation"), Field("Created")));
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                // Released between the listing and the read.
            }
            catch (JsonException)
            {
                locks.Add(new StateLock(key, null, null, null));
            }
        return locks;
    }

    /// <summary>Deletes the stage's terraform state locks; call only once the stage lock's holder is known dead.</summary>
    public async Task<IReadOnlyList<StateLock>> BreakAsync(string stage, CancellationToken cancellationToken = default)
    {
        var locks = await ListAsync(stage, cancellationToken);
        foreach (var held in locks) await s3.DeleteObjectAsync(bucket, held.Key, cancellationToken);
        return locks;
    }
}
