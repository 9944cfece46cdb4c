using Amazon.S3;
using Depoxy.Build.Engine;

namespace Depoxy.Packaging.Publishing;

/// <summary>
/// Build once, deploy many, as a stage's artifacts bucket decides it: a Deploy of a version the bucket already holds
/// ships that release's bytes instead of building them again (Package), and uploads nothing of it again
/// (PublishModules, Publish). Only a release of the checked-out commit is reused: another commit's bytes shipped from
/// this checkout would be passed off as what is checked out.
/// </summary>
public sealed class PublishedRelease(IAmazonS3 s3, string artifactsBucket)
{
    /// <summary>
    /// When the bucket holds <paramref name="version"/>, writes its manifest to artifacts/manifest.json and returns it;
    /// null when it does not, so the commit is packaged. A release of another commit is refused, with artifacts/ and
    /// the bucket left as they are.
    /// </summary>
    public async Task<ReleaseManifest?> TryReuseAsync(ReleaseVersion version, string artifactsDirectory, CancellationToken cancellationToken = default)
    {
        if (await new ArtifactStore(s3).TryReadManifestAsync(artifactsBucket, version.Value, cancellationToken) is not { } published)
            return null;
        if (!string.Equals(published.Commit, version.Commit, StringComparison.OrdinalIgnoreCase))
            throw new PackagingException(
                $"release {published.Version} in s3://{artifactsBucket} was built from commit {published.Commit}, this checkout is {version.Commit}: " +
                $"deploy this commit without --version, or check out {published.Commit[..Math.Min(12, published.Commit.Length)]} to ship {published.Version} again");
        Directory.CreateDirectory(artifactsDirectory);
        published.Save(Path.Combine(artifactsDirectory, ReleaseManifest.FileName));
        Log.Always($"Release {published.Version} is already published in s3://{artifactsBucket}: build once, deploy many — shipping those bytes, building nothing");
        return published;
    }

    /// <summary>
    /// True when the bucket holds the release of artifacts/manifest.json, judged by its identity (a manifest rebuilt
    /// from the same commit counts): nothing of it is uploaded again, modules included, since they went with it.
    /// </summary>
    public async Task<bool> HoldsAsync(string artifactsDirectory, CancellationToken cancellationToken = default)
    {
        var manifest = ReleaseManifest.Load(Path.Combine(artifactsDirectory, ReleaseManifest.FileName));
        if (await new ArtifactStore(s3).TryReadManifestAsync(artifactsBucket, manifest.Version, cancellationToken) is not { } published
            || published.IdentitySha256() != manifest.IdentitySha256())
            return false;
        // A release whose object was lost (a deleted .base64sha256) is published again: the objects still there are
        // skipped as same bytes, and the missing ones put back from this identical build.
        if (await FirstMissingAsync(manifest, cancellationToken) is { } missing)
        {
            Log.Always($"Release {manifest.Version} is published but s3://{artifactsBucket}/{missing} is missing: uploading what is missing");
            return false;
        }
        Log.Always($"Release {manifest.Version} is already published: 0 artifact bytes uploaded");
        return true;
    }

    private async Task<string?> FirstMissingAsync(ReleaseManifest manifest, CancellationToken cancellationToken)
    {
        foreach (var artifact in manifest.Artifacts.Where(a => !a.InModulesBucket))
            try
            {
                await s3.GetObjectMetadataAsync(artifactsBucket, artifact.Key, cancellationToken);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return artifact.Key;
            }
        return null;
    }
}
