using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Depoxy.Build.Engine;

namespace Depoxy.Packaging.Publishing;

/// <summary>
/// Reads a published release back and proves it: each object's sha256 against the manifest. Promote uses it to
/// copy a release from one stage's bucket to another's, verified on both sides.
/// </summary>
public sealed class ArtifactStore(IAmazonS3 s3)
{
    public async Task<ReleaseManifest> ReadManifestAsync(string bucket, string version, CancellationToken cancellationToken = default)
    {
        var key = ReleaseManifest.KeyFor(ReleaseVersion.Validate(version));
        return ReleaseManifest.Parse(await ReadAsync(bucket, key, $"release {version} is not published in s3://{bucket} (no {key}): publish it first or check the version.", cancellationToken), $"s3://{bucket}/{key}");
    }

    /// <summary>The release's manifest, or null when the bucket does not hold that version.</summary>
    public async Task<ReleaseManifest?> TryReadManifestAsync(string bucket, string version, CancellationToken cancellationToken = default) =>
        await ExistsAsync(bucket, ReleaseManifest.KeyFor(ReleaseVersion.Validate(version)), cancellationToken)
            ? await ReadManifestAsync(bucket, version, cancellationToken)
            : null;

    private async Task<bool> ExistsAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        try
        {
            await s3.GetObjectMetadataAsync(bucket, key, cancellationToken);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            return false;
        }
    }

    /// <summary>Downloads one artifact to <paramref name="path"/> and checks its size and sha256 against the manifest.</summary>
    public async Task<FileDigest> DownloadVerifiedAsync(string bucket, ManifestArtifact artifact, string path, CancellationToken cancellationToken = default)
    {
        var content = await ReadAsync(bucket, artifact.Key, $"s3://{bucket}/{artifact.Key} is listed in the manifest but missing: the release is incomplete, publish it again.", cancellationToken);
        var digest = FileDigest.Of(content);
        if (digest.Sha256Hex != artifact.Sha256 || digest.Size != artifact.Size)
            throw new ArtifactIntegrityException($"s3://{bucket}/{artifact.Key} does not match its manifest (sha256 {digest.Sha256Hex}, {digest.Size} bytes; manifest {artifact.Sha256}, {artifact.Size} bytes): the object was altered, do not deploy it.");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllBytesAsync(path, content, cancellationToken);
        return digest;
    }

    /// <summary>Checks every object of the release that lives in this bucket (all but modules).</summary>
    public async Task VerifyAsync(string bucket, ReleaseManifest manifest, CancellationToken cancellationToken = default)
    {
        foreach (var artifact in manifest.Artifacts.Where(a => !a.InModulesBucket))
        {
            var digest = FileDigest.Of(await ReadAsync(bucket, artifact.Key, $"s3://{bucket}/{artifact.Key} is missing: the release {manifest.Version} is incomplete there.", cancellationToken));
            if (digest.Sha256Hex != artifact.Sha256)
                throw new ArtifactIntegrityException($"s3://{bucket}/{artifact.Key} has sha256 {digest.Sha256Hex}, the manifest of {manifest.Version} says {artifact.Sha256}: the object was altered, do not deploy it.");
        }
        Log.Info($"Verified release {manifest.Version} in s3://{bucket}: every object matches its manifest sha256");
    }

    /// <summary>
    /// Copies a release (its artifacts, then its manifest) into another bucket through download, check and immutable
    /// upload, so it works across accounts with the target's own credentials; then reads the copy back and checks it.
    /// </summary>
    public async Task<PublishReport> CopyAsync(string sourceBucket, ReleaseManifest manifest, IAmazonS3 target, string targetBucket,
        IUploadProgress? progress = null, CancellationToken cancellationToken = default)
    {
        var uploader = new ImmutableUploader(target, progress ?? UploadProgress.Lines);
        var scratch = Directory.CreateTempSubdirectory("depoxy-promote-");
        try
        {
            var items = new List<UploadItem>();
            foreach (var artifact in manifest.Artifacts.Where(a => !a.InModulesBucket))
            {
                var path = Path.Combine(scratch.FullName, artifact.Key.Replace('/', '_'));
                var digest = await DownloadVerifiedAsync(sourceBucket, artifact, path, cancellationToken);
                var subject = artifact.Kind == ArtifactKinds.Site ? $"site {artifact.Name} {manifest.Version}" : $"api {manifest.Version}";
                items.Add(new UploadItem(targetBucket, artifact.Key, path, digest, artifact.ContentType, subject));
            }
            var manifestKey = ReleaseManifest.KeyFor(manifest.Version);
            var manifestBytes = await ReadAsync(sourceBucket, manifestKey, $"s3://{sourceBucket}/{manifestKey} is missing: publish release {manifest.Version} first.", cancellationToken);
            var identity = ReleaseManifest.Parse(manifestBytes, $"s3://{sourceBucket}/{manifestKey}").IdentitySha256();
            if (identity != manifest.IdentitySha256())
                throw new ArtifactIntegrityException($"s3://{sourceBucket}/{manifestKey} is not the manifest given for {manifest.Version}: read the manifest from that bucket and promote again.");
            var manifestPath = Path.Combine(scratch.FullName, ReleaseManifest.FileName);
            await File.WriteAllBytesAsync(manifestPath, manifestBytes, cancellationToken);
            items.Add(new UploadItem(targetBucket, manifestKey, manifestPath, FileDigest.Of(manifestBytes),
                "application/json", $"release {manifest.Version}", Identity: identity));
            // Every key is checked before the first put, so a conflict leaves the target bucket as it was.
            var published = new List<UploadResult?>();
            foreach (var item in items) published.Add(await uploader.CheckAsync(item, cancellationToken));
            var results = new List<UploadResult>();
            for (var i = 0; i < items.Count; i++)
                results.Add(published[i] ?? await uploader.PutAsync(items[i], cancellationToken));
            await new ArtifactStore(target).VerifyAsync(targetBucket, manifest, cancellationToken);
            var report = new PublishReport(results);
            Log.Info($"Copied release {manifest.Version} from s3://{sourceBucket} to s3://{targetBucket}: {report.Summary}");
            return report;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private async Task<byte[]> ReadAsync(string bucket, string key, string missing, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await s3.GetObjectAsync(bucket, key, cancellationToken);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, cancellationToken);
            return buffer.ToArray();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode is "NoSuchKey" or "NotFound")
        {
            throw new PackagingException(missing);
        }
        catch (AmazonS3Exception e)
        {
            throw ImmutableUploader.Explain(e, bucket, key, "read");
        }
    }
}
