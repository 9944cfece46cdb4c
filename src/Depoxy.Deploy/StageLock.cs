using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Depoxy.Build.Engine;

namespace Depoxy.Deploy;

/// <summary>
/// Who holds a stage: written into <c>releases/&lt;stage&gt;/lock.json</c>. The holder renews
/// <see cref="HeartbeatAt"/> and <see cref="ExpiresAt"/> while it runs, so a lock whose expiry has passed belongs to a
/// dead run and may be broken.
/// </summary>
public sealed record StageLockHolder(string Who, DateTimeOffset Since, string Operation, string? RunUrl, string Token)
{
    public string? Host { get; init; }
    public int? ProcessId { get; init; }

    /// <summary>GitHub Actions' run id and attempt ("123456/1"), or null for a local run.</summary>
    public string? RunId { get; init; }

    public DateTimeOffset? HeartbeatAt { get; init; }

    /// <summary>Null in locks written before locks expired: those count as expired <see cref="StageLock.LegacyExpiry"/> after <see cref="Since"/>.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    public override string ToString() =>
        $"{Operation} by {Who} since {Since.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC" +
        (Host is null ? "" : $" (pid {ProcessId} on {Host}" + (RunId is null ? ")" : $", run {RunId})")) +
        (RunUrl is null ? "" : $" ({RunUrl})");
}

public sealed class StageLockedException(string message, StageLockHolder? holder) : Exception(message)
{
    public StageLockHolder? Holder { get; } = holder;
}

/// <summary>How long a lock lives without a heartbeat, and how often its holder renews it.</summary>
public sealed record StageLockOptions
{
    public TimeSpan TimeToLive { get; init; } = TimeSpan.FromMinutes(10);
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// One deploy, promote or rollback per stage at a time: the lock object is created with If-None-Match: *, so S3
/// itself refuses (412) a second writer, with no read-then-write race. The holder's heartbeat keeps it alive;
/// <see cref="BreakAsync"/> removes the lock of a dead run and refuses while the holder is alive.
/// </summary>
public sealed class StageLock(IAmazonS3 s3, string bucket, string stage, TimeProvider? clock = null, StageLockOptions? options = null)
{
    /// <summary>How long a lock without an expiry (written by an older build) is taken to be alive.</summary>
    public static readonly TimeSpan LegacyExpiry = TimeSpan.FromHours(2);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public string Key => $"releases/{stage}/lock.json";

    public StageLockOptions Options { get; } = options ?? new StageLockOptions();

    internal TimeProvider Clock => _clock;

    public async Task<StageLockLease> AcquireAsync(string operation, CancellationToken cancellationToken = default)
    {
        var now = _clock.GetUtcNow();
        var holder = new StageLockHolder(ReleaseRecord.CurrentActor(), now, operation, GitHubActions.RunUrl, Guid.NewGuid().ToString("N"))
        {
            Host = Environment.MachineName,
            ProcessId = Environment.ProcessId,
            RunId = GitHubRunId(),
            HeartbeatAt = now,
            ExpiresAt = now + Options.TimeToLive,
        };
        try
        {
            await PutAsync(holder, ifNoneMatch: true, cancellationToken);
        }
        // 409 is S3's answer when another conditional write of the same key is still in flight.
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
        {
            var current = await GetHolderAsync(cancellationToken);
            var who = current is null ? "another run (it released the lock just now; try again)" : current.ToString();
            throw new StageLockedException(
                $"refusing to {operation.ToLowerInvariant()} {stage}: the stage is locked by {who}; if that run is dead, ./build.sh BreakLock --stage {stage} removes the lock once its heartbeat stops",
                current);
        }
        Log.Info($"Locked stage {stage} for {operation} (s3://{bucket}/{Key}, expires without a heartbeat after {Options.TimeToLive.TotalMinutes:0} min)");
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

    /// <summary>
    /// Removes the lock of a dead run, for the BreakLock target: one whose expiry passed (no heartbeat for
    /// <see cref="StageLockOptions.TimeToLive"/>), or whose process on this host is gone. Refuses, naming the holder
    /// and the fix, while the holder is alive. Returns the holder it removed, null when the stage was not locked.
    /// </summary>
    public async Task<StageLockHolder?> BreakAsync(CancellationToken cancellationToken = default)
    {
        var current = await GetHolderAsync(cancellationToken);
        if (current is null)
        {
            Log.Info($"Stage {stage} is not locked (no s3://{bucket}/{Key}): nothing to break");
            return null;
        }
        var now = _clock.GetUtcNow();
        var expires = current.ExpiresAt ?? current.Since + LegacyExpiry;
        var goneHere = current.Host == Environment.MachineName && current.ProcessId is { } pid && !ProcessTree.IsAlive(pid);
        if (now < expires && !goneHere)
        {
            var heartbeat = current.HeartbeatAt ?? current.Since;
            throw new StageLockedException(
                $"refusing to break the {stage} lock: its holder, {current}, is alive (last heartbeat {(now - heartbeat).TotalSeconds:0} s ago, " +
                $"expires {expires.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC); let that run finish or stop it, and break the lock after its expiry if it does not release it",
                current);
        }
        await s3.DeleteObjectAsync(bucket, Key, cancellationToken);
        Log.Warn($"Broke the {stage} lock of {current}: " +
                 (goneHere ? $"process {current.ProcessId} no longer runs on {current.Host}" : $"no heartbeat since {(current.HeartbeatAt ?? current.Since).UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC"));
        return current;
    }

    /// <summary>Moves the expiry on while the lock is still <paramref name="holder"/>'s; false once it is not (broken, re-taken).</summary>
    internal async Task<StageLockHolder?> RenewAsync(StageLockHolder holder, CancellationToken cancellationToken)
    {
        var current = await GetHolderAsync(cancellationToken);
        if (current?.Token != holder.Token)
        {
            Log.Warn($"Stage {stage}: the lock is no longer ours ({(current is null ? "gone" : "held by " + current)}); heartbeat stopped");
            return null;
        }
        var now = _clock.GetUtcNow();
        var renewed = holder with { HeartbeatAt = now, ExpiresAt = now + Options.TimeToLive };
        await PutAsync(renewed, ifNoneMatch: false, cancellationToken);
        return renewed;
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

    private Task PutAsync(StageLockHolder holder, bool ifNoneMatch, CancellationToken cancellationToken) =>
        s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = Key,
            IfNoneMatch = ifNoneMatch ? "*" : null,
            ContentBody = JsonSerializer.Serialize(holder, ReleaseRecord.Json),
            ContentType = "application/json",
        }, cancellationToken);

    private static string? GitHubRunId() =>
        GitHubActions.IsRunning && Environment.GetEnvironmentVariable("GITHUB_RUN_ID") is { Length: > 0 } id
            ? id + "/" + (Environment.GetEnvironmentVariable("GITHUB_RUN_ATTEMPT") ?? "1")
            : null;
}

/// <summary>
/// A held stage lock, renewed by a heartbeat until it is released; dispose it (<c>await using</c>) so it is
/// released on failure too.
/// </summary>
public sealed class StageLockLease : IAsyncDisposable
{
    private readonly StageLock _owner;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _heartbeat;
    private bool _released;

    internal StageLockLease(StageLock owner, StageLockHolder holder)
    {
        _owner = owner;
        Holder = holder;
        _heartbeat = HeartbeatAsync();
    }

    public StageLockHolder Holder { get; private set; }

    public async Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        if (_released) return;
        _released = true;
        await _stop.CancelAsync();
        await _heartbeat;
        await _owner.ReleaseAsync(Holder, cancellationToken);
    }

    public async ValueTask DisposeAsync() => await ReleaseAsync();

    private async Task HeartbeatAsync()
    {
        using var timer = new PeriodicTimer(_owner.Options.HeartbeatInterval, _owner.Clock);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    if (await _owner.RenewAsync(Holder, _stop.Token) is not { } renewed) return;
                    Holder = renewed;
                }
                // A missed heartbeat is not fatal: the lock lives TimeToLive, several intervals.
                catch (AmazonS3Exception e)
                {
                    Log.Warn($"Stage lock heartbeat failed ({e.Message}); retrying in {_owner.Options.HeartbeatInterval.TotalSeconds:0} s");
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Released.
        }
    }
}
