using Depoxy.Aws;
using Depoxy.Packaging.Publishing;

namespace Depoxy.Packaging;

/// <summary>The entry points of the Package, Publish and PublishModules targets (and the module check of Plan).</summary>
public static class PackagingFlow
{
    public static Task<ReleaseManifest> PackageAsync(string repositoryRoot, PackageOptions options, CancellationToken cancellationToken = default) =>
        new Packager(repositoryRoot).PackageAsync(options, cancellationToken);

    /// <summary>
    /// Package for a Deploy: the release the stage's bucket already holds for this commit (or --version), else this
    /// commit packaged, its api.zip reused from the local cache or from a release in the bucket with the same API inputs.
    /// </summary>
    public static async Task<ReleaseManifest> PackageOrReuseAsync(string repositoryRoot, PackageOptions options, string artifactsBucket, AwsEnvironment aws,
        CancellationToken cancellationToken = default)
    {
        var resolved = await ReleaseVersion.ResolveAsync(repositoryRoot, options.Version, options.AllowDirty, cancellationToken);
        using var s3 = S3ClientFactory.Create(aws);
        var packager = new Packager(repositoryRoot, ApiBuild.ForRepository(repositoryRoot, options.ApiBuildCache, new PublishedApiBuilds(s3, artifactsBucket)));
        return await new PublishedRelease(s3, artifactsBucket).TryReuseAsync(resolved, packager.ArtifactsDirectory, cancellationToken)
               ?? await packager.PackageAsync(options, cancellationToken);
    }

    /// <summary>Uploads the release of artifacts/; null when the bucket already holds it (nothing uploaded).</summary>
    public static async Task<PublishReport?> PublishAsync(string repositoryRoot, string artifactsBucket, AwsEnvironment aws, CancellationToken cancellationToken = default)
    {
        using var s3 = S3ClientFactory.Create(aws);
        var artifacts = new Packager(repositoryRoot).ArtifactsDirectory;
        if (await new PublishedRelease(s3, artifactsBucket).HoldsAsync(artifacts, cancellationToken)) return null;
        return await new ArtifactPublisher(s3, UploadProgress.ForConsole()).PublishAsync(artifacts, artifactsBucket, cancellationToken);
    }

    /// <summary>
    /// Uploads the release's modules, refusing a changed module whose VERSION was not bumped; null when the stage's
    /// bucket already holds the release, which brought its modules along.
    /// </summary>
    public static async Task<PublishReport?> PublishModulesAsync(string repositoryRoot, string modulesBucket, string artifactsBucket, AwsEnvironment aws,
        CancellationToken cancellationToken = default)
    {
        using var s3 = S3ClientFactory.Create(aws);
        var artifacts = new Packager(repositoryRoot).ArtifactsDirectory;
        if (await new PublishedRelease(s3, artifactsBucket).HoldsAsync(artifacts, cancellationToken)) return null;
        await new ModuleVersionGuard(s3).EnsureAsync(repositoryRoot, modulesBucket, cancellationToken);
        return await new ArtifactPublisher(s3, UploadProgress.ForConsole()).PublishModulesAsync(artifacts, modulesBucket, cancellationToken);
    }

    /// <summary>For Plan on a pull request: fails naming each module whose files changed without a VERSION bump.</summary>
    public static async Task CheckModuleVersionsAsync(string repositoryRoot, string modulesBucket, AwsEnvironment aws, CancellationToken cancellationToken = default)
    {
        using var s3 = S3ClientFactory.Create(aws);
        await new ModuleVersionGuard(s3).EnsureAsync(repositoryRoot, modulesBucket, cancellationToken);
    }
}
