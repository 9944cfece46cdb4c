using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Depoxy.Api.Configuration;

namespace Depoxy.Api.Auth;

/// <summary>A pending sign-in, stored until its link is used or its hour window passes.</summary>
public sealed record LoginRecord(
    string Email, string FirstName, DateTimeOffset RequestedAt,
    bool AcceptedTermsAndConditions, bool AcceptedGdprTerms, bool AcceptedCookiePolicy);

/// <summary>
/// Login records in S3 at &lt;prefix&gt;/auth/login/&lt;hour&gt;/hash-&lt;hash&gt;.json: a link is good in the hour it was
/// requested and the next one, and only once.
/// </summary>
public sealed class MagicLinkStore(IAmazonS3 s3, ApiSettings settings, TimeProvider time)
{
    public static bool IsWellFormedHash(string? hash) =>
        hash is { Length: 64 } && hash.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    public static string HourFolder(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH':00:00Z'", CultureInfo.InvariantCulture);

    public string KeyFor(DateTimeOffset hour, string hash) => $"{settings.S3Prefix}/auth/login/{HourFolder(hour)}/hash-{hash}.json";

    /// <summary>Stores the record under a fresh 256-bit random hash and returns the hash.</summary>
    public async Task<string> CreateAsync(LoginRecord record, CancellationToken cancellationToken)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(RandomNumberGenerator.GetBytes(32)));
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = settings.S3Bucket,
            Key = KeyFor(record.RequestedAt, hash),
            ContentBody = JsonSerializer.Serialize(record, JsonDefaults.Web),
            ContentType = "application/json",
        }, cancellationToken);
        return hash;
    }

    /// <summary>The record for the hash if it is still valid, deleting it so it cannot be used again.</summary>
    public async Task<LoginRecord?> RedeemAsync(string hash, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var hour in new[] { now, now.AddHours(-1) })
        {
            var key = KeyFor(hour, hash);
            GetObjectResponse found;
            try
            {
                found = await s3.GetObjectAsync(settings.S3Bucket, key, cancellationToken);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                continue;
            }
            LoginRecord? record;
            using (found)
                record = await JsonSerializer.DeserializeAsync<LoginRecord>(found.ResponseStream, JsonDefaults.Web, cancellationToken);
            try
            {
                // Conditional on the ETag just read: of two concurrent logins with one link, only one delete succeeds.
                await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = settings.S3Bucket, Key = key, IfMatch = found.ETag }, cancellationToken);
            }
            catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.PreconditionFailed)
            {
                return null;
            }
            return record;
        }
        return null;
    }
}
