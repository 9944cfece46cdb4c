using Amazon.S3;
using Amazon.S3.Model;
using Depoxy.Build.Engine;

namespace Depoxy.Packaging.Publishing;

/// <summary>
/// The API builds of a stage's artifacts bucket: a Deploy of a commit whose API inputs equal those of a published
/// release ships that release's api.zip (checked against its manifest's sha256) instead of compiling it again.
/// </summary>
public sealed class PublishedApiBuilds(IAmazonS3 s3, string artifactsBucket, int newestReleases = PublishedApiBuilds.DefaultNewestReleases) : IApiBuildSource
{
    /// <summary>How many of the newest releases are looked at: an API unchanged for longer is built again.</summary>
    public const int DefaultNewestReleases = 20;

    public async Task<string?> TryRestoreAsync(string inputHash, string zipPath, CancellationToken cancellationToken = default)
    {
        var store = new ArtifactStore(s3);
        foreach (var version in await NewestVersionsAsync(cancellationToken))
        {
            if (await store.TryReadManifestAsync(artifactsBucket, version, cancellationToken) is not { ApiInputHash: { } hash, Api: { } api } manifest
                || hash != inputHash)
                continue;
            try
            {
                await store.DownloadVerifiedAsync(artifactsBucket, api, zipPath, cancellationToken);
            }
            catch (ArtifactIntegrityException e)
            {
                Log.Warn($"not reusing the API build of release {manifest.Version}: {e.Message}");
                return null;
            }
            FileDigest.WriteHashFile(zipPath);
            return $"release {manifest.Version} in s3://{artifactsBucket}";
        }
        return null;
    }

    private async Task<IReadOnlyList<string>> NewestVersionsAsync(CancellationToken cancellationToken)
    {
        var manifests = new List<S3Object>();
        var request = new ListObjectsV2Request { BucketName = artifactsBucket, Prefix = "releases/" };
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(request, cancellationToken);
            // releases/<version>/manifest.json only: the stages' ledgers and locks live under releases/<stage>/ too.
            manifests.AddRange((page.S3Objects ?? []).Where(o => o.Key.Split('/') is [_, _, ReleaseManifest.FileName]));
            request.ContinuationToken = page.NextContinuationToken;
        } while (page.IsTruncated == true);
        return [.. manifests.OrderByDescending(o => o.LastModified).Take(newestReleases).Select(o => o.Key.Split('/')[1])];
    }
}
