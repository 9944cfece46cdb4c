using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.S3;
using Amazon.S3.Model;
using Depoxy.Aws;
using Depoxy.Testing;

namespace Depoxy.Web.Tests;

/// <summary>
/// What the API needs in moto before it can sign anyone in: the ES256 signing key secret, the verified SES sender
/// (SES refuses unverified senders, as in its sandbox) and the data bucket; plus reading back the mail it sent.
/// </summary>
public static partial class MotoSeed
{
    public static async Task SeedAsync(MotoServer moto, ApiConfiguration config)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await CallAsync(moto, "secretsmanager", "/", new { Name = config.JwtSecretId, SecretString = Convert.ToBase64String(key.ExportPkcs8PrivateKey()) },
            target: "secretsmanager.CreateSecret");
        await CallAsync(moto, "ses", "/v2/email/identities", new { EmailIdentity = config.SenderAddress });
        using var s3 = S3ClientFactory.Create(moto.Aws);
        await s3.PutBucketAsync(new PutBucketRequest
        {
            BucketName = config.Bucket,
            PutBucketConfiguration = new PutBucketConfiguration { LocationConstraint = new BucketLocationConstraint(moto.Aws.Region.SystemName) },
        });
    }

    /// <summary>The sign-in link in the newest mail moto's SES holds for <paramref name="recipient"/>.</summary>
    public static async Task<Uri> SignInLinkAsync(MotoServer moto, string recipient)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var data = JsonDocument.Parse(await http.GetStringAsync(new Uri(moto.Endpoint, "moto-api/data.json")));
        var body = data.RootElement.GetProperty("ses").GetProperty("Message").EnumerateArray()
            .Where(m => m.GetProperty("destinations").GetProperty("ToAddresses").EnumerateArray().Any(to => to.GetString() == recipient))
            .Select(m => m.GetProperty("body").GetString() ?? "")
            .LastOrDefault() ?? throw new InvalidOperationException($"moto's SES holds no mail to {recipient}");
        var link = LinkPattern().Match(body);
        return link.Success ? new Uri(link.Value) : throw new InvalidOperationException($"no sign-in link in the mail to {recipient}: {body}");
    }

    private static async Task CallAsync(MotoServer moto, string signingName, string path, object payload, string? target = null)
    {
        using var http = SignedHttpClient.Create(moto.Aws, signingName, moto.Endpoint);
        // A sized body: moto cannot read chunked requests, which is what JsonContent would send.
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(JsonSerializer.Serialize(payload), Encoding.UTF8,
                target is null ? "application/json" : "application/x-amz-json-1.1"),
        };
        if (target is not null) request.Headers.Add("X-Amz-Target", target);
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"moto refused {target ?? path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [GeneratedRegex(@"https?://[^\s""'<>]+/login-hash/[A-Za-z0-9_-]+")]
    private static partial Regex LinkPattern();
}
