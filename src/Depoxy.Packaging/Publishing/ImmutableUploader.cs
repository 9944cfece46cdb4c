using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Depoxy.Build.Engine;

namespace Depoxy.Packaging.Publishing;

/// <summary>One object to publish. <paramref name="Subject"/> names it in messages ("api 20260101.120000-gabc1234").</summary>
/// <param name="Identity">
/// When set, what the object stands for (a module's file contents, a manifest without its build time): a stored
/// object with the same identity counts as already published even if its bytes differ.
/// </param>
/// <param name="ConflictHint">What to do when the key holds other content; the default says to build a new version.</param>
public sealed record UploadItem(
    string Bucket,
    string Key,
    string FilePath,
    FileDigest Digest,
    string ContentType,
    string Subject,
    string? Identity = null,
    string? ConflictHint = null);

public enum UploadOutcome { Uploaded, AlreadyPublished }

public sealed record UploadResult(string Bucket, string Key, UploadOutcome Outcome, long BytesUploaded);

/// <summary>
/// Writes objects that are never overwritten: a conditional put (If-None-Match: *) so a concurrent writer cannot be
/// clobbered, preceded by a HEAD so an existing key is compared (sha256 in its metadata) before any byte is sent.
/// </summary>
public sealed class ImmutableUploader(IAmazonS3 s3, IUploadProgress progress)
{
    public const string Sha256Metadata = "x-amz-meta-sha256";
    public const string IdentityMetadata = "x-amz-meta-content-sha256";

    /// <summary>Null when the key is free; "already published" when it holds the same content; throws when it holds other content.</summary>
    public async Task<UploadResult?> CheckAsync(UploadItem item, CancellationToken cancellationToken = default)
    {
        var existing = await HeadAsync(item.Bucket, item.Key, cancellationToken);
        return existing is null ? null : Compare(item, existing);
    }

    public async Task<UploadResult> UploadAsync(UploadItem item, CancellationToken cancellationToken = default) =>
        await CheckAsync(item, cancellationToken) ?? await PutAsync(item, cancellationToken);

    /// <summary>Uploads a key that <see cref="CheckAsync"/> found free; a writer that got there since is still caught.</summary>
    internal async Task<UploadResult> PutAsync(UploadItem item, CancellationToken cancellationToken)
    {
        try
        {
            await progress.TrackAsync($"{item.Subject} → s3://{item.Bucket}/{item.Key}", item.Digest.Size, async sent =>
            {
                var request = new PutObjectRequest
                {
                    BucketName = item.Bucket,
                    Key = item.Key,
                    FilePath = item.FilePath,
                    ContentType = item.ContentType,
                    IfNoneMatch = "*",
                    ChecksumSHA256 = item.Digest.Base64Sha256,
                };
                request.Metadata.Add(Sha256Metadata, item.Digest.Sha256Hex);
                if (item.Identity is { } identity) request.Metadata.Add(IdentityMetadata, identity);
                request.StreamTransferProgress += (_, e) => sent.Report(e.TransferredBytes);
                return await s3.PutObjectAsync(request, cancellationToken);
            });
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
        {
            // Another writer got there between our HEAD and our put: its object decides.
            var raced = await HeadAsync(item.Bucket, item.Key, cancellationToken)
                ?? throw new PackagingException($"s3://{item.Bucket}/{item.Key} refused the write ({e.ErrorCode}) but does not exist: retry the publish.");
            return Compare(item, raced);
        }
        catch (AmazonS3Exception e)
        {
            throw Explain(e, item.Bucket, item.Key, "write");
        }
        await VerifyAsync(item, cancellationToken);
        return new UploadResult(item.Bucket, item.Key, UploadOutcome.Uploaded, item.Digest.Size);
    }

    /// <summary>
    /// Reads back what S3 stored: its size and its SHA-256 checksum (S3 checked the body against the one we sent),
    /// or, where the store keeps no checksum, the ETag, which is the body's MD5 for a single-part upload.
    /// </summary>
    private async Task VerifyAsync(UploadItem item, CancellationToken cancellationToken)
    {
        var stored = await HeadAsync(item.Bucket, item.Key, cancellationToken)
            ?? throw new ArtifactIntegrityException($"s3://{item.Bucket}/{item.Key} is missing right after its upload: check the bucket's lifecycle rules and retry.");
        var etag = stored.ETag?.Trim('"') ?? "";
        var matches = stored.ContentLength == item.Digest.Size
            && (stored.ChecksumSHA256 is { Length: > 0 } checksum
                ? checksum == item.Digest.Base64Sha256
                : etag.Equals(item.Digest.Md5Hex, StringComparison.OrdinalIgnoreCase));
        if (!matches)
            throw new ArtifactIntegrityException(
                $"s3://{item.Bucket}/{item.Key} does not read back as uploaded ({stored.ContentLength} bytes, checksum '{stored.ChecksumSHA256}', ETag {etag}; expected {item.Digest.Size} bytes, sha256 {item.Digest.Sha256Hex}): delete it and publish again.");
    }

    private UploadResult Compare(UploadItem item, GetObjectMetadataResponse existing)
    {
        var storedSha = existing.Metadata[Sha256Metadata];
        var sameBytes = string.Equals(storedSha, item.Digest.Sha256Hex, StringComparison.OrdinalIgnoreCase)
            || (string.IsNullOrEmpty(storedSha) && existing.ChecksumSHA256 == item.Digest.Base64Sha256);
        var sameIdentity = item.Identity is { } identity && existing.Metadata[IdentityMetadata] == identity;
        if (!sameBytes && !sameIdentity)
            throw new ArtifactConflictException(
                $"{item.Subject} is already published with different content (s3://{item.Bucket}/{item.Key} has sha256 {Show(storedSha)}, this build {item.Digest.Sha256Hex}): {item.ConflictHint ?? "published versions are immutable, so build a new commit instead of overwriting it"}.",
                item.Bucket, item.Key);
        Log.Info($"{item.Subject}: s3://{item.Bucket}/{item.Key} already published, nothing uploaded");
        return new UploadResult(item.Bucket, item.Key, UploadOutcome.AlreadyPublished, 0);
    }

    private async Task<GetObjectMetadataResponse?> HeadAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        try
        {
            return await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key, ChecksumMode = ChecksumMode.ENABLED }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode is not "NoSuchBucket")
        {
            return null;
        }
        catch (AmazonS3Exception e)
        {
            throw Explain(e, bucket, key, "read");
        }
    }

    internal static PackagingException Explain(AmazonS3Exception e, string bucket, string key, string action) => e.ErrorCode switch
    {
        "NoSuchBucket" => new PackagingException($"bucket {bucket} does not exist: check the bucket name (--artifacts-bucket / --modules-bucket) or create the stage's bootstrap stack first."),
        "AccessDenied" or "Forbidden" => new PackagingException($"access denied to {action} s3://{bucket}/{key}: the role needs s3:GetObject and s3:PutObject on that bucket."),
        _ => new PackagingException($"S3 refused to {action} s3://{bucket}/{key}: {e.ErrorCode} {e.Message}"),
    };

    private static string Show(string? value) => string.IsNullOrEmpty(value) ? "(none recorded)" : value;
}
