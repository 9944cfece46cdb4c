using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Amazon.S3;
using Amazon.S3.Model;
using Depoxy.Api.Configuration;

namespace Depoxy.Api.Storage;

/// <summary>A JSON document read from S3 with the ETag it had, for a conditional write back.</summary>
public sealed record Stored<T>(T Value, string ETag);

/// <summary>What an <see cref="S3Documents.UpdateAsync{T,TResult}"/> change decides: the next document (null: no write) and the answer.</summary>
public readonly record struct Change<T, TResult>(T? Next, TResult Result) where T : class;

/// <summary>
/// JSON documents in the data bucket under DEPOXY_API_S3_PREFIX, with one idea of "missing" (null) and writes made
/// conditional on S3's own ETags, so two Lambda instances updating one document cannot both win.
/// </summary>
public sealed class S3Documents(IAmazonS3 s3, ApiSettings settings)
{
    private const int MaxAttempts = 8;

    /// <summary>Lower-case hex sha256 of a value: the only form in which secrets and addresses appear in keys.</summary>
    public static string Sha256(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    /// <summary>Everything that may be forgotten after a day: the data bucket's lifecycle rule expires this prefix.</summary>
    public string Expiring(string key) => $"{settings.S3Prefix}/expiring/{key}";

    /// <summary>A user's own folder, named by sha256 of the lower-case address.</summary>
    public string User(string email, string key) => $"{settings.S3Prefix}/users/{Sha256(email)}/{key}";

    public async Task<Stored<T>?> GetAsync<T>(string key, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        try
        {
            using var found = await s3.GetObjectAsync(settings.S3Bucket, key, cancellationToken);
            var value = await JsonSerializer.DeserializeAsync(found.ResponseStream, type, cancellationToken)
                ?? throw new InvalidDataException($"s3://{settings.S3Bucket}/{key} holds JSON null");
            return new Stored<T>(value, found.ETag);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes the document if it is still the version <paramref name="ifMatch"/> names, or, with null, only if it does
    /// not exist. False when another writer got there first.
    /// </summary>
    public async Task<bool> PutAsync<T>(string key, T value, JsonTypeInfo<T> type, string? ifMatch, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = settings.S3Bucket,
            Key = key,
            ContentBody = JsonSerializer.Serialize(value, type),
            ContentType = "application/json",
        };
        if (ifMatch is null) request.IfNoneMatch = "*";
        else request.IfMatch = ifMatch;
        try
        {
            await s3.PutObjectAsync(request, cancellationToken);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict or HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Deletes the document if it is still the version <paramref name="ifMatch"/> names; false if it changed or is gone.</summary>
    public async Task<bool> DeleteAsync(string key, string ifMatch, CancellationToken cancellationToken)
    {
        try
        {
            await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = settings.S3Bucket, Key = key, IfMatch = ifMatch }, cancellationToken);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>
    /// Read, change, conditional write, again from the read when another writer won: the S3 form of compare-and-swap.
    /// </summary>
    public async Task<TResult> UpdateAsync<T, TResult>(string key, JsonTypeInfo<T> type, Func<T?, Change<T, TResult>> change,
        CancellationToken cancellationToken) where T : class
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await GetAsync(key, type, cancellationToken);
            var (next, result) = change(current?.Value);
            if (next is null || await PutAsync(key, next, type, current?.ETag, cancellationToken)) return result;
            if (attempt == MaxAttempts)
                throw new InvalidOperationException($"s3://{settings.S3Bucket}/{key} kept changing during {MaxAttempts} conditional writes");
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), cancellationToken);
        }
    }
}
