using Depoxy.Aws.CloudFront;

namespace Depoxy.Sites;

/// <summary>What a sync did. Paths are relative to the target's prefix; <see cref="InvalidationPaths"/> are CloudFront paths.</summary>
public sealed record SiteSyncResult(
    string Target,
    int UploadedFiles,
    long UploadedBytes,
    int DeletedFiles,
    int UnchangedFiles,
    IReadOnlyList<string> Uploaded,
    IReadOnlyList<string> Deleted,
    IReadOnlyList<string> InvalidationPaths,
    string ChangeReference,
    TimeSpan Elapsed)
{
    public bool Changed => UploadedFiles > 0 || DeletedFiles > 0;
}

/// <summary>A sync and, when a distribution was given and cached paths changed, its completed invalidation.</summary>
public sealed record SiteDeployment(SiteSyncResult Sync, CloudFrontInvalidation? Invalidation);
