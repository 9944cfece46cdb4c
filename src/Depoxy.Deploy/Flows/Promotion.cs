using Amazon.S3;
using Depoxy.Build.Engine;
using Depoxy.Packaging;
using Depoxy.Packaging.Publishing;

namespace Depoxy.Deploy.Flows;

/// <summary>
/// The first half of Promote: never builds. Picks the source stage's current release (or a named one it ran
/// successfully), refuses dirty builds, proves every artifact against the manifest and copies them, verified.
/// </summary>
public sealed class Promotion(IAmazonS3 source, IAmazonS3 target)
{
    public async Task<string> ResolveVersionAsync(string fromStage, string fromBucket, string? version, CancellationToken cancellationToken = default)
    {
        var ledger = new ReleaseLedger(source, fromBucket, fromStage);
        var release = version is null
            ? await ledger.GetCurrentAsync(cancellationToken) is { Outcome: ReleaseOutcome.Succeeded } current
                ? current
                : throw new DeployException($"{fromStage} has no current successful release to promote: deploy {fromStage} first, or pass --version")
            : await ledger.FindSuccessfulAsync(version, cancellationToken)
              ?? throw new DeployException($"{version} never ran successfully on {fromStage}: only what {fromStage} ran can be promoted (see ./build.sh Releases --stage {fromStage})");
        if (ReleaseVersion.IsDirty(release.Version))
            throw new DeployException($"refusing to promote {release.Version}: it was built from a dirty working tree; commit and deploy {fromStage} again");
        return release.Version;
    }

    public async Task<(ReleaseManifest Manifest, PublishReport Copy)> CopyAsync(string fromBucket, string toBucket, string version, CancellationToken cancellationToken = default)
    {
        var store = new ArtifactStore(source);
        var manifest = await store.ReadManifestAsync(fromBucket, version, cancellationToken);
        if (manifest.IsDirty)
            throw new DeployException($"refusing to promote {manifest.Version}: its manifest marks a dirty build");
        await store.VerifyAsync(fromBucket, manifest, cancellationToken);
        var copy = await store.CopyAsync(fromBucket, manifest, target, toBucket, cancellationToken: cancellationToken);
        Log.Info($"Promoting {version}: {copy.Summary}");
        return (manifest, copy);
    }
}
