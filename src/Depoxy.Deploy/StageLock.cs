using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Depoxy.Build.Engine;

namespace Depoxy.Deploy;

/// <summary>Who holds a stage: written into <c>releases/&lt;stage&gt;/lock.json</c>.</summary>
public sealed record StageLockHolder(string Who, DateTimeOffset Since, string Operation, string? RunUrl, string Token);

public sealed class StageLockedException(string message, StageLockHolder? holder) : Exception(message)
{
    public StageLockHolder? Holder { get; } = holder;
}

/// <summary>
/// One deploy, promote or rollback per stage at a time: the lock object is created with If-None-Match: *, so S3
/// itself refuses (412) a second writer, with no read-then-write race.
/// </summary>
public sealed class StageLock(IAmazonS3 s3, string bucket, string stage, TimeProvider? clock = null)
{
    public string Key => $"releases/{stage}/lock.json";

    public async Task<StageLockLease> AcquireAsync(string operation, CancellationToken cancellationToken = default)
    {
        var holder = new StageLockHolder(ReleaseRecord.CurrentActor(), (clock ?? TimeProvider.System).GetUtcNow(), operation,
            GitHubActions.RunUrl, Guid.NewGuid().ToString("N"));
        try
        {
            await s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket,
                Key = Key,
                IfNoneMatch = "*",
                ContentBody = JsonSerializer.Serialize(holder, ReleaseRecord.Json),
                ContentType = "application/json",
            }, cancellationToken);
        }
        // 409 is S3's answer when another conditional write of the same key is still in flight.
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
        {
            var current = await GetHolderAsync(cancellationToken);
            var who = current is null
                ? "another run (it released the lock just now; try again)"
                : $"{current.Operation} by {current.Who} since {current.Since.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC" +
                  (current.RunUrl is null ? "" : $" ({current.RunUrl})");
            throw new StageLockedException(
                $"refusing to {operation.ToLowerInvariant()} {stage}: the stage is locked by {who}; if that run is dead, delete s3://{bucket}/{Key}",
                current);
        }
        Log.Info($"Locked stage {stage} for {operation} (s3://{bucket}/{Key})");
        return new StageLockLease(this, holder);
    }

    public async Task<StageLockHolder?> GetHolderAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await s3.GetObjectAsync(bucket, Key, cancellationToken);
            using var reader = new StreamReader(response.ResponseStream, Encoding.UTF8);
            return JsonSerializer.Deserialize<StageLockHolder>(await reader.ReadToEndAsync(cancellationToken), ReleaseRecord.Json);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Deletes the lock only while it is still ours, so a lock someone broke and re-took is left alone.</summary>
    internal async Task ReleaseAsync(StageLockHolder holder, CancellationToken cancellationToken)
    {
        var current = await GetHolderAsync(cancellationToken);
        if (current?.Token != holder.Token)
        {
            Log.Warn($"Stage {stage}: the lock is no longer ours ({(current is null ? "gone" : "held by " + current.Who)}), left as it is");
            return;
        }
        await s3.DeleteObjectAsync(bucket, Key, cancellationToken);
        Log.Info($"Unlocked stage {stage}");
    }
}

/// <summary>A held stage lock; dispose it (<c>await using</c>) so it is released on failure too.</summary>
public sealed class StageLockLease(StageLock owner, StageLockHolder holder) : IAsyncDisposable
{
    private bool _released;

    public StageLockHolder Holder => holder;

    public async Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        if (_released) return;
        _released = true;
        await owner.ReleaseAsync(holder, cancellationToken);
    }

    public async ValueTask DisposeAsync() => await ReleaseAsync();
}
