using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.S3;
using Amazon.S3.Model;
using Depoxy.Packaging;

namespace Depoxy.Deploy;

/// <summary>
/// A stage's releases in its artifact bucket: <c>releases/&lt;stage&gt;/current.json</c> (what is live) and one
/// <c>history/&lt;timestamp&gt;-&lt;version&gt;.json</c> per attempt, whose names sort by time.
/// </summary>
public sealed partial class ReleaseLedger(IAmazonS3 s3, string bucket, string stage)
{
    public const string RollbackKind = "Rollback";

    public string Bucket => bucket;
    public string Stage => stage;
    public string CurrentKey => $"releases/{stage}/current.json";
    public string HistoryPrefix => $"releases/{stage}/history/";

    /// <summary>Adds the attempt to the history; a Succeeded one also becomes current. Returns the history key.</summary>
    public async Task<string> RecordAsync(ReleaseRecord record, CancellationToken cancellationToken = default)
    {
        if (record.Stage != stage)
            throw new ArgumentException($"a {record.Stage} release cannot go in the {stage} ledger", nameof(record));
        var key = HistoryPrefix + record.When.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'") + "-" + Unsafe().Replace(record.Version, "_") + ".json";
        await PutAsync(key, record, cancellationToken);
        if (record.Outcome == ReleaseOutcome.Succeeded) await PutAsync(CurrentKey, record, cancellationToken);
        return key;
    }

    /// <summary>
    /// Records an attempt a check refused before its first write (a module without a VERSION bump, a tampered
    /// artifact, a dirty version for prod): the stage did not change, and current.json stays as it is.
    /// </summary>
    public Task<string> RecordRefusedAsync(string version, string kind, string reason, string? commit = null, CancellationToken cancellationToken = default) =>
        RecordAsync(ReleaseRecord.ForThisRun(stage, version, ReleaseOutcome.Refused) with { Kind = kind, Reason = reason, Commit = commit }, cancellationToken);

    /// <summary>Records an attempt that failed after it changed the stage and could not put it back.</summary>
    public Task<string> RecordFailedAsync(string version, string kind, string reason, string? lambdaVersion = null, string? commit = null,
        CancellationToken cancellationToken = default) =>
        RecordAsync(ReleaseRecord.ForThisRun(stage, version, ReleaseOutcome.Failed) with
        {
            Kind = kind,
            Reason = reason,
            Commit = commit,
            LambdaVersion = lambdaVersion,
        }, cancellationToken);

    public Task<ReleaseRecord?> GetCurrentAsync(CancellationToken cancellationToken = default) => ReadAsync(CurrentKey, cancellationToken);

    /// <summary>Every attempt, newest first.</summary>
    public async Task<IReadOnlyList<ReleaseRecord>> GetHistoryAsync(CancellationToken cancellationToken = default)
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = HistoryPrefix };
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(request, cancellationToken);
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            request.ContinuationToken = page.NextContinuationToken;
        } while (page.IsTruncated == true);

        var records = new List<ReleaseRecord>();
        foreach (var key in keys.Order(StringComparer.Ordinal).Reverse())
            if (await ReadAsync(key, cancellationToken) is { } record) records.Add(record);
        return records;
    }

    /// <summary>
    /// Where a rollback goes: the newest successful release older than the one that put the current version live,
    /// on a different Lambda version. When the current release is itself a rollback, its anchor is the original
    /// release of that version, so a second rollback steps further back instead of returning to the abandoned one.
    /// Never a dirty version (built from uncommitted changes): such a build is nobody's known good state.
    /// Null when there is no current release or nothing older succeeded.
    /// </summary>
    public async Task<ReleaseRecord?> GetPreviousSuccessfulAsync(CancellationToken cancellationToken = default)
    {
        var current = await GetCurrentAsync(cancellationToken);
        if (current is null) return null;
        var history = await GetHistoryAsync(cancellationToken);
        var anchor = current.Kind == RollbackKind
            ? history.FirstOrDefault(r => r.Outcome == ReleaseOutcome.Succeeded && r.Kind != RollbackKind && r.When < current.When
                                          && r.LambdaVersion == current.LambdaVersion) ?? current
            : current;
        return history.FirstOrDefault(r => r.Outcome == ReleaseOutcome.Succeeded && r.When < anchor.When && r.LambdaVersion != current.LambdaVersion
                                           && !ReleaseVersion.IsDirty(r.Version));
    }

    /// <summary>The newest successful release of <paramref name="version"/>, for Rollback/Promote --version.</summary>
    public async Task<ReleaseRecord?> FindSuccessfulAsync(string version, CancellationToken cancellationToken = default) =>
        (await GetHistoryAsync(cancellationToken)).FirstOrDefault(r => r.Outcome == ReleaseOutcome.Succeeded && r.Version == version);

    private async Task PutAsync(string key, ReleaseRecord record, CancellationToken cancellationToken) =>
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = key,
            ContentBody = JsonSerializer.Serialize(record, ReleaseRecord.Json),
            ContentType = "application/json",
        }, cancellationToken);

    private async Task<ReleaseRecord?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await s3.GetObjectAsync(bucket, key, cancellationToken);
            using var reader = new StreamReader(response.ResponseStream, Encoding.UTF8);
            return JsonSerializer.Deserialize<ReleaseRecord>(await reader.ReadToEndAsync(cancellationToken), ReleaseRecord.Json);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"s3://{bucket}/{key} is not a release record ({e.Message}); fix or delete that object");
        }
    }

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex Unsafe();
}
