using System.Net.Http.Json;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Depoxy.Aws;
using Depoxy.Testing;

namespace Depoxy.Api.Tests.Support;

/// <summary>Creates in moto what the API expects to exist: bucket, signing-key secret, verified SES sender.</summary>
public static class MotoSeeder
{
    public static async Task SeedAsync(MotoServer moto, string bucket, string secretId, string secretValue, string sender)
    {
        using (var s3 = S3ClientFactory.Create(moto.Aws))
            await s3.PutBucketAsync(new PutBucketRequest
            {
                BucketName = bucket,
                PutBucketConfiguration = new PutBucketConfiguration
                {
                    LocationConstraint = new BucketLocationConstraint(moto.Aws.Region.SystemName),
                },
            });
        await CreateSecretAsync(moto, secretId, secretValue);

        using var ses = SignedHttpClient.Create(moto.Aws, "ses", moto.Endpoint);
        using var identity = await ses.PostAsJsonAsync("/v2/email/identities", new Dictionary<string, string> { ["EmailIdentity"] = sender });
        await AwsResponse.EnsureSuccessAsync(identity, "SES");
    }

    public static Task CreateSecretAsync(MotoServer moto, string secretId, string secretValue) =>
        SecretsManagerAsync(moto, "CreateSecret", new { Name = secretId, SecretString = secretValue });

    public static Task PutSecretValueAsync(MotoServer moto, string secretId, string secretValue) =>
        SecretsManagerAsync(moto, "PutSecretValue", new { SecretId = secretId, SecretString = secretValue });

    private static async Task SecretsManagerAsync(MotoServer moto, string action, object payload)
    {
        using var secrets = SignedHttpClient.Create(moto.Aws, "secretsmanager", moto.Endpoint);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(payload), Encoding.UTF8, "application/x-amz-json-1.1"),
        };
        request.Headers.Add("X-Amz-Target", "secretsmanager." + action);
        using var response = await secrets.SendAsync(request);
        await AwsResponse.EnsureSuccessAsync(response, "Secrets Manager");
    }
}
