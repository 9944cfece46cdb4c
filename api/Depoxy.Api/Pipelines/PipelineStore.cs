using System.Net;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Depoxy.Api.Configuration;
using Depoxy.Api.Storage;

namespace Depoxy.Api.Pipelines;

public enum WriteOutcome { Created, Updated, PreconditionFailed, PreconditionRequired }

public enum DeleteOutcome { Deleted, NotFound, PreconditionFailed }

/// <summary>
/// A user's pipelines at &lt;prefix&gt;/users/&lt;sha256(email)&gt;/pipelines/&lt;id&gt;.json. Optimistic concurrency is
/// S3's own conditional writes (If-Match / If-None-Match), so two writers cannot both win.
/// </summary>
public sealed class PipelineStore(IAmazonS3 s3, ApiSettings settings, S3Documents documents)
{
    public string UserPrefix(string email) => documents.User(email, "pipelines/");

    private string KeyFor(string email, string id) => UserPrefix(email) + id + ".json";

    public async Task<(PipelineDefinition Pipeline, string ETag)?> GetAsync(string email, string id, CancellationToken cancellationToken)
    {
        try
        {
            using var found = await s3.GetObjectAsync(settings.S3Bucket, KeyFor(email, id), cancellationToken);
            var pipeline = await JsonSerializer.DeserializeAsync(found.ResponseStream, ApiJson.Default.PipelineDefinition, cancellationToken)
                ?? throw new InvalidDataException($"pipeline {id} is stored empty");
            return (pipeline, found.ETag);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<PipelineSummary>> ListAsync(string email, CancellationToken cancellationToken)
    {
        var prefix = UserPrefix(email);
        var summaries = new List<PipelineSummary>();
        var request = new ListObjectsV2Request { BucketName = settings.S3Bucket, Prefix = prefix };
        do
        {
            var page = await s3.ListObjectsV2Async(request, cancellationToken);
            summaries.AddRange((page.S3Objects ?? [])
                .Where(o => o.Key.EndsWith(".json", StringComparison.Ordinal))
                .Select(o => new PipelineSummary(o.Key[prefix.Length..^".json".Length], o.ETag,
                    o.LastModified is { } modified ? new DateTimeOffset(modified.ToUniversalTime()) : DateTimeOffset.UnixEpoch)));
            request.ContinuationToken = page.NextContinuationToken;
        } while (request.ContinuationToken is not null);
        return summaries.OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Without <paramref name="ifMatch"/> only creates (an existing pipeline answers PreconditionRequired);
    /// with it only replaces the version that ETag names.
    /// </summary>
    public async Task<(WriteOutcome Outcome, string? ETag)> PutAsync(
        string email, string id, PipelineDefinition pipeline, string? ifMatch, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = settings.S3Bucket,
            Key = KeyFor(email, id),
            ContentBody = JsonSerializer.Serialize(pipeline, ApiJson.Default.PipelineDefinition),
            ContentType = "application/json",
        };
        if (ifMatch is null) request.IfNoneMatch = "*";
        else request.IfMatch = ifMatch;
        try
        {
            var response = await s3.PutObjectAsync(request, cancellationToken);
            return (ifMatch is null ? WriteOutcome.Created : WriteOutcome.Updated, response.ETag);
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
        {
            return (ifMatch is null ? WriteOutcome.PreconditionRequired : WriteOutcome.PreconditionFailed, null);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && ifMatch is not null)
        {
            return (WriteOutcome.PreconditionFailed, null);
        }
    }

    public async Task<DeleteOutcome> DeleteAsync(string email, string id, string? ifMatch, CancellationToken cancellationToken)
    {
        var key = KeyFor(email, id);
        if (ifMatch is null)
        {
            try
            {
                ifMatch = (await s3.GetObjectMetadataAsync(settings.S3Bucket, key, cancellationToken)).ETag;
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return DeleteOutcome.NotFound;
            }
        }
        try
        {
            await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = settings.S3Bucket, Key = key, IfMatch = ifMatch }, cancellationToken);
            return DeleteOutcome.Deleted;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            return DeleteOutcome.PreconditionFailed;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return DeleteOutcome.NotFound;
        }
    }
}
