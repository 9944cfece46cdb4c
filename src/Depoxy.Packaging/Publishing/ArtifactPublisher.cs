using Amazon.S3;
using Depoxy.Build.Engine;

namespace Depoxy.Packaging.Publishing;

/// <summary>
/// Publishes what Package built, exactly as listed in artifacts/manifest.json: the API, its hash and the sites to the
/// stage's artifacts bucket with the manifest last (a release exists once its manifest does), modules to the modules
/// bucket.
/// </summary>
public sealed class ArtifactPublisher(IAmazonS3 s3, IUploadProgress progress)
{
    private readonly ImmutableUploader _uploader = new(s3, progress);

    public async Task<PublishReport> PublishAsync(string artifactsDirectory, string bucket, CancellationToken cancellationToken = default)
    {
        var manifestPath = Path.Combine(artifactsDirectory, ReleaseManifest.FileName);
        var manifest = ReleaseManifest.Load(manifestPath);
        var items = manifest.Artifacts.Where(a => !a.InModulesBucket).Select(a => ItemFor(manifest, a, artifactsDirectory, bucket)).ToList();
        items.Add(new UploadItem(bucket, ReleaseManifest.KeyFor(manifest.Version), manifestPath, FileDigest.Of(manifestPath),
            "application/json", $"release {manifest.Version}", Identity: manifest.IdentitySha256()));
        return await UploadAllAsync(items, $"release {manifest.Version} to s3://{bucket}", cancellationToken);
    }

    public async Task<PublishReport> PublishModulesAsync(string artifactsDirectory, string modulesBucket, CancellationToken cancellationToken = default)
    {
        var manifest = ReleaseManifest.Load(Path.Combine(artifactsDirectory, ReleaseManifest.FileName));
        var items = manifest.Artifacts.Where(a => a.InModulesBucket).Select(a => ItemFor(manifest, a, artifactsDirectory, modulesBucket)).ToList();
        return await UploadAllAsync(items, $"{items.Count} modules to s3://{modulesBucket}", cancellationToken);
    }

    /// <summary>Checks every key before the first upload, so a conflict leaves the bucket as it was.</summary>
    private async Task<PublishReport> UploadAllAsync(IReadOnlyList<UploadItem> items, string what, CancellationToken cancellationToken)
    {
        var published = new List<UploadResult?>();
        foreach (var item in items) published.Add(await _uploader.CheckAsync(item, cancellationToken));
        var results = new List<UploadResult>();
        for (var i = 0; i < items.Count; i++)
            results.Add(published[i] ?? await _uploader.PutAsync(items[i], cancellationToken));
        var report = new PublishReport(results);
        Log.Info($"Published {what}: {report.Summary}");
        return report;
    }

    private static UploadItem ItemFor(ReleaseManifest manifest, ManifestArtifact artifact, string artifactsDirectory, string bucket)
    {
        var path = Path.Combine(artifactsDirectory, artifact.File);
        if (!File.Exists(path)) throw new PackagingException($"{path} is listed in the manifest but missing: run ./build.sh Package again.");
        var digest = FileDigest.Of(path);
        if (digest.Sha256Hex != artifact.Sha256)
            throw new ArtifactIntegrityException($"{path} changed since Package wrote the manifest (sha256 {digest.Sha256Hex}, manifest {artifact.Sha256}): run ./build.sh Package again.");
        return artifact.Kind switch
        {
            ArtifactKinds.Module => new UploadItem(bucket, artifact.Key, path, digest, artifact.ContentType,
                $"module {artifact.Name} {artifact.ModuleVersion}", Identity: artifact.ContentSha256,
                ConflictHint: ModuleVersionGuard.BumpHint(artifact.Name)),
            ArtifactKinds.Site => new UploadItem(bucket, artifact.Key, path, digest, artifact.ContentType, $"site {artifact.Name} {manifest.Version}"),
            _ => new UploadItem(bucket, artifact.Key, path, digest, artifact.ContentType, $"api {manifest.Version}"),
        };
    }
}
