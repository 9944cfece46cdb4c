using System.Diagnostics;
using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Depoxy.Aws;
using Depoxy.Aws.CloudFront;
using Depoxy.Build.Engine;

namespace Depoxy.Sites;

/// <summary>
/// Puts a static site (folder or site zip) into bucket[/prefix] by content hash, with its serving headers, deletes what
/// the site no longer has, and invalidates the changed paths on its CloudFront distribution.
/// </summary>
public sealed class SiteSync : IDisposable
{
    private readonly IAmazonS3 _s3;
    private readonly CloudFrontClient _cloudFront;

    public SiteSync(AwsEnvironment aws) : this(S3ClientFactory.Create(aws), new CloudFrontClient(aws))
    {
    }

    /// <summary>Uses the given clients and disposes them with this instance.</summary>
    public SiteSync(IAmazonS3 s3, CloudFrontClient cloudFront)
    {
        _s3 = s3;
        _cloudFront = cloudFront;
    }

    /// <summary>Sync, then invalidate on <paramref name="distributionId"/> when one is given.</summary>
    public async Task<SiteDeployment> DeployAsync(string source, string target, string? distributionId,
        SiteSyncOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SiteSyncOptions();
        var sync = await SyncAsync(source, target, options, cancellationToken);
        var invalidation = string.IsNullOrWhiteSpace(distributionId)
            ? null
            : await InvalidateAsync(distributionId, sync, options.InvalidationWaiter, cancellationToken);
        return new SiteDeployment(sync, invalidation);
    }

    /// <param name="source">A site folder or a site zip (artifacts/sites/www.zip).</param>
    /// <param name="target"><c>bucket</c> or <c>bucket/prefix</c>.</param>
    public async Task<SiteSyncResult> SyncAsync(string source, string target, SiteSyncOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new SiteSyncOptions();
        var clock = Stopwatch.StartNew();
        var destination = SiteTarget.Parse(target);
        using var site = SiteSource.Open(source);
        if (site.Files.Count == 0)
            throw new SiteSyncException($"site source {site.Description} has no files: refusing to sync it, as that would empty {destination}; build the site first");
        if (site.Files.Any(f => f.RelativePath == SyncManifest.FileName))
            throw new SiteSyncException($"site source {site.Description} contains {SyncManifest.FileName}, the name the sync keeps its manifest under: rename that file");

        var remote = await ListAsync(destination, cancellationToken);
        var manifest = await SyncManifest.LoadAsync(_s3, destination, cancellationToken);
        var plan = await SyncPlan.CreateAsync(site, remote, manifest, options.ShortMaxAge, cancellationToken);
        RefuseMassDeletion(plan, remote.Values, destination, options);

        var stale = plan.StalePaths.ToList();
        var stored = manifest;
        // Forget the entries about to change first, so an interrupted sync re-puts them rather than trusting stale
        // headers; and note what it changes before changing it, so a sync whose invalidation never happens (a failed
        // or interrupted release) leaves those paths to the next one.
        var pending = manifest.Without(plan.Uploads.Select(u => u.File.RelativePath)) with { Pending = stale };
        if (!pending.SameAs(stored))
        {
            await pending.SaveAsync(_s3, destination, cancellationToken);
            stored = pending;
        }
        await UploadAsync(destination, plan.Uploads, options.Parallelism, cancellationToken);
        await DeleteAsync(destination, plan.Deletions, cancellationToken);
        var synced = plan.Manifest with { Pending = stale };
        if (!synced.SameAs(stored)) await synced.SaveAsync(_s3, destination, cancellationToken);

        var result = new SiteSyncResult(
            destination.ToString(),
            plan.Uploads.Count,
            plan.Uploads.Sum(u => u.File.Length),
            plan.Deletions.Count,
            plan.Unchanged,
            plan.Uploads.Select(u => u.File.RelativePath).ToList(),
            plan.Deletions.Select(d => d.RelativePath).ToList(),
            InvalidationPaths.For(stale, options.CollapseInvalidationAbove),
            plan.ChangeReference(destination),
            clock.Elapsed);
        Log.Info($"{result.Target}: {result.UploadedFiles} uploaded ({Size.Format(result.UploadedBytes)}), {result.DeletedFiles} deleted, " +
                 $"{result.UnchangedFiles} unchanged in {result.Elapsed.TotalSeconds:0.0} s");
        return result;
    }

    /// <summary>
    /// Invalidates the paths a sync changed and waits until CloudFront reports them Completed. Returns null when the
    /// sync changed nothing cached. Calling it again for the same result reuses the same CallerReference.
    /// </summary>
    public async Task<CloudFrontInvalidation?> InvalidateAsync(string distributionId, SiteSyncResult sync,
        InvalidationWaiter? waiter = null, CancellationToken cancellationToken = default)
    {
        if (sync.InvalidationPaths.Count == 0)
        {
            Log.Info($"{sync.Target}: no cached file changed, no CloudFront invalidation");
            return null;
        }
        var created = await _cloudFront.CreateInvalidationAsync(distributionId, sync.InvalidationPaths, sync.ChangeReference, cancellationToken);
        Log.Info($"CloudFront {distributionId}: invalidation {created.Id} of {string.Join(", ", sync.InvalidationPaths.Take(5))}" +
                 (sync.InvalidationPaths.Count > 5 ? $" and {sync.InvalidationPaths.Count - 5} more" : ""));
        var clock = Stopwatch.StartNew();
        var completed = await _cloudFront.WaitForInvalidationCompletedAsync(distributionId, created.Id, waiter, (attempt, invalidation) =>
            Log.Info($"CloudFront {distributionId}: invalidation {invalidation.Id} {invalidation.Status} after {clock.Elapsed.TotalSeconds:0} s (check {attempt})"),
            cancellationToken);
        var target = SiteTarget.Parse(sync.Target);
        var manifest = await SyncManifest.LoadAsync(_s3, target, cancellationToken);
        if (manifest.Pending.Count > 0) await (manifest with { Pending = [] }).SaveAsync(_s3, target, cancellationToken);
        return completed;
    }

    public void Dispose()
    {
        _s3.Dispose();
        _cloudFront.Dispose();
    }

    /// <summary>
    /// Content-hashed assets stay out of the share: every build replaces them by design, and counting them would make
    /// a routine release of a small app look like a mass deletion, teaching everyone to pass --force.
    /// </summary>
    private static void RefuseMassDeletion(SyncPlan plan, IEnumerable<RemoteObject> existing, SiteTarget target, SiteSyncOptions options)
    {
        static bool Guarded(RemoteObject o) => ObjectHeaders.CacheControlOf(o.RelativePath, ObjectHeaders.DefaultShortMaxAge) != ObjectHeaders.Immutable;
        var deleting = plan.Deletions.Count(Guarded);
        var guarded = existing.Count(Guarded);
        if (options.Force || deleting == 0 || deleting <= options.MaxDeleteShare * guarded) return;
        if (options.RestoringRelease is { } release)
        {
            // Putting back a release the ledger records is what a failed release or a rollback must do, however many
            // files the release it replaces added.
            Log.Info($"{target}: deleting {deleting} of {guarded} objects to put back release {release}");
            return;
        }
        throw new SiteSyncException(
            $"syncing would delete {deleting} of the {guarded} objects under {target} (content-hashed assets aside), " +
            $"more than {options.MaxDeleteShare:P0}: check the site source, or pass --force to delete them");
    }

    private async Task<Dictionary<string, RemoteObject>> ListAsync(SiteTarget target, CancellationToken cancellationToken)
    {
        var objects = new Dictionary<string, RemoteObject>(StringComparer.Ordinal);
        var request = new ListObjectsV2Request { BucketName = target.Bucket, Prefix = target.KeyPrefix };
        try
        {
            ListObjectsV2Response page;
            do
            {
                page = await _s3.ListObjectsV2Async(request, cancellationToken);
                foreach (var o in page.S3Objects ?? [])
                {
                    var relative = o.Key[target.KeyPrefix.Length..];
                    // Folder markers and the manifest are the sync's own business, not site files.
                    if (relative.Length == 0 || relative.EndsWith('/') || relative == SyncManifest.FileName) continue;
                    objects[relative] = new RemoteObject(relative, o.ETag.Trim('"'), o.Size ?? 0, o.LastModified ?? DateTime.MinValue);
                }
                request.ContinuationToken = page.NextContinuationToken;
            } while (page.IsTruncated == true);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket" || e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new SiteSyncException($"bucket {target.Bucket} does not exist: apply the stage's terraform first, or check the bucket name");
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "AccessDenied" || e.StatusCode == HttpStatusCode.Forbidden)
        {
            throw new SiteSyncException($"access denied listing {target}: the deploy role needs s3:ListBucket, s3:GetObject, s3:PutObject and s3:DeleteObject on it");
        }
        return objects;
    }

    private async Task UploadAsync(SiteTarget target, IReadOnlyList<PlannedUpload> uploads, int parallelism, CancellationToken cancellationToken)
    {
        // Assets before the documents naming them, so a visitor mid-sync never gets HTML pointing at a missing file.
        var phases = uploads.GroupBy(u => u.Headers.CacheControl == ObjectHeaders.NoCache).OrderBy(g => g.Key).ToList();
        await SyncProgress.RunAsync($"Uploading to {target}", uploads.Count, uploads.Sum(u => u.File.Length), async advance =>
        {
            foreach (var phase in phases)
                await Parallel.ForEachAsync(phase, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken },
                    async (upload, token) =>
                    {
                        await _s3.PutObjectAsync(new PutObjectRequest
                        {
                            BucketName = target.Bucket,
                            Key = target.Key(upload.File.RelativePath),
                            FilePath = upload.File.FullPath,
                            ContentType = upload.Headers.ContentType,
                            MD5Digest = Convert.ToBase64String(upload.Md5),
                            Headers = { CacheControl = upload.Headers.CacheControl },
                        }, token);
                        advance(upload.File.Length);
                    });
        });
    }

    private async Task DeleteAsync(SiteTarget target, IReadOnlyList<RemoteObject> deletions, CancellationToken cancellationToken)
    {
        foreach (var batch in deletions.Chunk(1000))
        {
            var response = await _s3.DeleteObjectsAsync(new DeleteObjectsRequest
            {
                BucketName = target.Bucket,
                Objects = batch.Select(d => new KeyVersion { Key = target.Key(d.RelativePath) }).ToList(),
                Quiet = true,
            }, cancellationToken);
            if (response.DeleteErrors is { Count: > 0 } errors)
                throw new SiteSyncException($"S3 refused to delete {errors.Count} objects under {target}, e.g. {errors[0].Key}: {errors[0].Code} {errors[0].Message}");
        }
    }
}
