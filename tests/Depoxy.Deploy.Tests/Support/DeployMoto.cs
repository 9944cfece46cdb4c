using Amazon.S3;
using Amazon.S3.Model;
using Depoxy.Aws;
using Depoxy.Aws.Lambda;
using Depoxy.Testing;

namespace Depoxy.Deploy.Tests.Support;

[CollectionDefinition(Name)]
public sealed class DeployMotoCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "moto (Depoxy.Deploy.Tests)";
}

/// <summary>A stage as Terraform would leave it, seeded in moto: the artifact bucket, a role and the API function.</summary>
public sealed class StageSeed(MotoServer moto)
{
    public const string Bucket = "depoxy-artifacts-dev";
    public const string Function = "depoxy-dev-api";

    public static readonly Func<TimeSpan, CancellationToken, Task> NoWait = (_, _) => Task.CompletedTask;

    public IAmazonS3 S3 { get; } = S3ClientFactory.Create(moto.Aws);

    public async Task ResetAsync()
    {
        await moto.ResetAsync();
        await CreateBucketAsync(S3, moto, Bucket);
    }

    /// <summary>A bucket in moto's region (moto refuses a create without a location constraint outside us-east-1).</summary>
    public static Task CreateBucketAsync(IAmazonS3 s3, MotoServer moto, string bucket) =>
        s3.PutBucketAsync(new PutBucketRequest
        {
            BucketName = bucket,
            PutBucketConfiguration = new PutBucketConfiguration { LocationConstraint = new BucketLocationConstraint(moto.Aws.Region.SystemName) },
        });

    /// <summary>
    /// Uploads api.zip for <paramref name="version"/> and its .base64sha256 object, as Publish does, and returns it
    /// as an artifact with its true hash.
    /// </summary>
    public async Task<LambdaArtifact> PublishArtifactAsync(string version)
    {
        var zip = MotoLambdaSeed.Zip(("run.sh", $"#!/bin/sh\necho {version}\n"));
        var key = $"api/{version}/api.zip";
        var hash = MotoLambdaSeed.Base64Sha256(zip);
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, InputStream = new MemoryStream(zip) });
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key + ".base64sha256", ContentBody = hash });
        return new LambdaArtifact(Bucket, key, hash);
    }

    public async Task CreateFunctionAsync(LambdaArtifact code)
    {
        var role = await MotoLambdaSeed.CreateRoleAsync(moto.Aws, Function + "-role");
        await MotoLambdaSeed.CreateFunctionAsync(moto.Aws, Function, code.Bucket, code.Key, role);
    }

    public LambdaClient Lambda(HttpMessageHandler? transport = null, Action<string>? onRetry = null) =>
        LambdaClient.Create(moto.Aws, new LambdaClientOptions { Delay = NoWait, OnRetry = onRetry }, transport);

    public LambdaReleaser Releaser(LambdaClient lambda) => LambdaReleaser.Create(lambda, S3, "dev");
}
