using Amazon.S3;
using Amazon.S3.Model;
using Depoxy.Deploy.Flows;
using Depoxy.Terraform;

namespace Depoxy.Deploy;

/// <summary>A version of a stack's state object, as the versioned state bucket keeps it.</summary>
public sealed record StateVersion(string VersionId, DateTime LastModified, StateSnapshot State)
{
    public override string ToString() => $"version {VersionId} of {LastModified:yyyy-MM-dd HH:mm:ss} UTC ({State})";
}

/// <summary>
/// The versions the state bucket keeps of each stack's state (tf/ci enables versioning), and the way back from a
/// lost or replaced state: the last good version copied over the key, as a new version, so nothing is lost.
/// </summary>
public sealed class StateHistory(IAmazonS3 s3, string bucket)
{
    /// <summary>
    /// Copies the last good version of <paramref name="stack"/>'s state back over its key: the newest one of the
    /// lineage the release recorded, else the newest one that has a state. Returns null when the current version
    /// is already that one.
    /// </summary>
    public async Task<StateVersion?> RestoreAsync(TerraformStack stack, string? recordedLineage, CancellationToken cancellationToken = default)
    {
        var versions = await VersionsAsync(stack, cancellationToken);
        var current = versions.FirstOrDefault();
        var states = versions.OfType<StateVersion>().Where(v => v.State.Exists).ToList();
        // Without a recorded lineage only a missing or empty state is known to be bad.
        var good = recordedLineage is not null ? states.FirstOrDefault(v => v.State.Lineage == recordedLineage)
            : current is StateVersion { State.Exists: true } ? current
            : states.FirstOrDefault();
        if (good is null)
            throw new DeployException(
                $"s3://{bucket}/{stack.StateKey} keeps no version " + (recordedLineage is null ? "with a state to go back to" : $"of lineage {recordedLineage}, which the stage's release ran on") +
                ": the bucket's versioning (tf/ci) must be on to restore a state; import the stack's resources with terraform import instead");
        if (ReferenceEquals(good, current)) return null;
        await s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = bucket,
            SourceKey = stack.StateKey,
            SourceVersionId = good.VersionId,
            DestinationBucket = bucket,
            DestinationKey = stack.StateKey,
        }, cancellationToken);
        return good;
    }

    /// <summary>Every version of the stack's state, newest first; a delete marker is null.</summary>
    private async Task<IReadOnlyList<StateVersion?>> VersionsAsync(TerraformStack stack, CancellationToken cancellationToken)
    {
        var entries = new List<S3ObjectVersion>();
        var request = new ListVersionsRequest { BucketName = bucket, Prefix = stack.StateKey };
        ListVersionsResponse page;
        do
        {
            page = await s3.ListVersionsAsync(request, cancellationToken);
            entries.AddRange((page.Versions ?? []).Where(v => v.Key == stack.StateKey));
            request.KeyMarker = page.NextKeyMarker;
            request.VersionIdMarker = page.NextVersionIdMarker;
        }
        while (page.IsTruncated == true);

        var versions = new List<StateVersion?>();
        // Newest first: the latest, then by time. Timestamps have whole seconds, and a listing may give the delete
        // markers after the versions, so the listing's own order only breaks ties.
        foreach (var entry in entries.OrderByDescending(v => v.IsLatest == true).ThenByDescending(v => v.LastModified))
        {
            if (entry.IsDeleteMarker == true)
            {
                versions.Add(null);
                continue;
            }
            using var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = stack.StateKey, VersionId = entry.VersionId }, cancellationToken);
            using var reader = new StreamReader(response.ResponseStream);
            var text = await reader.ReadToEndAsync(cancellationToken);
            StateSnapshot state;
            try
            {
                state = StateSnapshot.Parse(stack, text);
            }
            catch (TerraformException)
            {
                state = StateSnapshot.None;
            }
            versions.Add(new StateVersion(entry.VersionId, entry.LastModified ?? DateTime.MinValue, state));
        }
        return versions;
    }
}
