using Depoxy.Aws;
using Depoxy.Packaging.Publishing;

namespace Depoxy.Packaging;

/// <summary>The entry points of the Package, Publish and PublishModules targets (and the module check of Plan).</summary>
public static class PackagingFlow
{
    public static Task<ReleaseManifest> PackageAsync(string repositoryRoot, string? version, bool allowDirty, CancellationToken cancellationToken = default) =>
        new Packager(repositoryRoot).PackageAsync(new PackageOptions(version, allowDirty), cancellationToken);

    public static async Task<PublishReport> PublishAsync(string repositoryRoot, string artifactsBucket, AwsEnvironment aws, CancellationToken cancellationToken = default)
    {
        using var s3 = S3ClientFactory.Create(aws);
        return await new ArtifactPublisher(s3, UploadProgress.ForConsole()).PublishAsync(new Packager(repositoryRoot).ArtifactsDirectory, artifactsBucket, cancellationToken);
    }

    public static async Task<PublishReport> PublishModulesAsync(string repositoryRoot, string modulesBucket, AwsEnvironment aws, CancellationToken cancellationToken = default)
    {
        using var s3 = S3ClientFactory.Create(aws);
        await new ModuleVersionGuard(s3).EnsureAsync(repositoryRoot, modulesBucket, cancellationToken);
        return await new ArtifactPublisher(s3, UploadProgress.ForConsole()).PublishModulesAsync(new Packager(repositoryRoot).ArtifactsDirectory, modulesBucket, cancellationToken);
    }

    /// <summary>For Plan on a pull request: fails naming each module whose files changed without a VERSION bump.</summary>
    public static async Task CheckModuleVersionsAsync(string repositoryRoot, string modulesBucket, AwsEnvironment aws, CancellationToken cancellationToken = default)
    {
        using var s3 = S3ClientFactory.Create(aws);
        await new ModuleVersionGuard(s3).EnsureAsync(repositoryRoot, modulesBucket, cancellationToken);
    }
}
