using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Depoxy.Build.Engine;

namespace Depoxy.Packaging.Publishing;

public sealed record ModuleVersionConflict(string Module, string Version, string Key, string LocalContentSha256, string PublishedContentSha256)
{
    public string Message =>
        $"module {Module} changed but its version {Version} is already published with other files (s3 key {Key}): {ModuleVersionGuard.BumpHint(Module)}";
}

public sealed class ModuleVersionException(IReadOnlyList<ModuleVersionConflict> conflicts)
    : PackagingException(string.Join(Environment.NewLine, conflicts.Select(c => c.Message)))
{
    public IReadOnlyList<ModuleVersionConflict> Conflicts { get; } = conflicts;
}

/// <summary>
/// Finds modules whose files changed while their VERSION did not, by comparing content hashes (names and bytes, not
/// zip bytes) with the modules bucket; Plan runs it before anything is uploaded.
/// </summary>
public sealed class ModuleVersionGuard(IAmazonS3 s3)
{
    public static string BumpHint(string module) => $"bump modules/{module}/VERSION";

    public async Task<IReadOnlyList<ModuleVersionConflict>> FindConflictsAsync(string modulesBucket, IEnumerable<ModuleSource> modules,
        CancellationToken cancellationToken = default)
    {
        // No bucket yet means no published module version that a change could contradict.
        if (!await Amazon.S3.Util.AmazonS3Util.DoesS3BucketExistV2Async(s3, modulesBucket))
        {
            Log.Warn($"modules bucket {modulesBucket} does not exist yet: no module version is published, nothing to compare");
            return [];
        }
        var conflicts = new List<ModuleVersionConflict>();
        foreach (var module in modules)
        {
            var published = await PublishedContentAsync(modulesBucket, module.Key, cancellationToken);
            if (published is null) continue;
            var local = module.ContentSha256();
            if (local != published) conflicts.Add(new ModuleVersionConflict(module.Name, module.Version, module.Key, local, published));
        }
        return conflicts;
    }

    /// <summary>Throws one error listing every module that needs a version bump.</summary>
    public async Task EnsureAsync(string repositoryRoot, string modulesBucket, CancellationToken cancellationToken = default)
    {
        var conflicts = await FindConflictsAsync(modulesBucket, ModuleSource.Discover(repositoryRoot), cancellationToken);
        if (conflicts.Count > 0) throw new ModuleVersionException(conflicts);
    }

    /// <summary>
    /// The content hash of the published zip, computed from the bytes downloaded: the publisher's metadata is only its
    /// own claim about them.
    /// </summary>
    private async Task<string?> PublishedContentAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await s3.GetObjectAsync(bucket, key, cancellationToken);
            using var body = new MemoryStream();
            await response.ResponseStream.CopyToAsync(body, cancellationToken);
            body.Position = 0;
            return ContentHash.OfZip(body);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode is not "NoSuchBucket")
        {
            return null;
        }
        catch (AmazonS3Exception e)
        {
            throw ImmutableUploader.Explain(e, bucket, key, "read");
        }
    }
}
