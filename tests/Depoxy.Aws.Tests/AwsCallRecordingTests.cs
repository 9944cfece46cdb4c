using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Depoxy.Aws.CloudFront;
using Depoxy.Aws.Lambda;
using Depoxy.Aws.Recording;
using Depoxy.Aws.Sts;
using Depoxy.Testing;

namespace Depoxy.Aws.Tests;

/// <summary>The build's own clients record each AWS call as IAM sees it, where they make it, and only when asked to.</summary>
[Collection(MotoCollection.Name)]
public sealed class AwsCallRecordingTests(MotoServer moto) : IAsyncLifetime
{
    private const string Bucket = "depoxy-recorded";
    private const string Account = "123456789012";
    private readonly string _log = Path.Combine(Directory.CreateTempSubdirectory("depoxy-calls-").FullName, "calls.jsonl");

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        await moto.CreateBucketsAsync(Bucket);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Path.GetDirectoryName(_log)!, recursive: true);
        return Task.CompletedTask;
    }

    private AwsEnvironment Recorded => moto.Aws with { Calls = new AwsCallLog(_log, Account) };

    [Fact]
    public async Task S3_calls_are_recorded_with_their_operation_object_ARN_and_the_conditions_they_set()
    {
        using var s3 = S3ClientFactory.Create(Recorded);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "releases/dev/lock.json", ContentBody = "{}", IfNoneMatch = "*" });
        await s3.GetObjectMetadataAsync(Bucket, "releases/dev/lock.json");
        await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = "releases/dev/history/" });
        await s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = Bucket, Objects = [new KeyVersion { Key = "a" }, new KeyVersion { Key = "b" }] });
        await Amazon.S3.Util.AmazonS3Util.DoesS3BucketExistV2Async(s3, Bucket);

        Assert.Equal(
        [
            $"s3:PutObject arn:aws:s3:::{Bucket}/releases/dev/lock.json {{s3:if-none-match=*}}",
            $"s3:HeadObject arn:aws:s3:::{Bucket}/releases/dev/lock.json",
            $"s3:ListObjectsV2 arn:aws:s3:::{Bucket} {{s3:prefix=releases/dev/history/}}",
            $"s3:DeleteObjects arn:aws:s3:::{Bucket}/a",
            $"s3:DeleteObjects arn:aws:s3:::{Bucket}/b",
            $"s3:GetBucketAcl arn:aws:s3:::{Bucket}",
        ], AwsCallLog.Read(_log).Select(c => c.ToString()));
    }

    [Fact]
    public async Task Lambda_calls_name_the_function_or_the_alias_they_act_on_once_per_attempt()
    {
        var throttled = FaultInjectingHandler.Lambda(r => r.Method == HttpMethod.Get, HttpStatusCode.TooManyRequests, "TooManyRequestsException");
        using var lambda = LambdaClient.Create(Recorded, new LambdaClientOptions { Delay = (_, _) => Task.CompletedTask }, throttled);

        await lambda.GetAliasAsync("depoxy-dev-api-function", "live");

        var function = $"arn:aws:lambda:{moto.Aws.Region.SystemName}:{Account}:function:depoxy-dev-api-function:live";
        Assert.Equal([$"lambda:GetAlias {function}", $"lambda:GetAlias {function}"], AwsCallLog.Read(_log).Select(c => c.ToString()));
        Assert.Equal(1, throttled.Injected);
    }

    [Fact]
    public async Task CloudFront_and_STS_calls_are_recorded_with_a_global_ARN_and_no_resource()
    {
        var missing = FaultInjectingHandler.CloudFront(_ => true, HttpStatusCode.NotFound, "NoSuchDistribution");
        using var cloudFront = new CloudFrontClient(Recorded, missing);

        await Assert.ThrowsAsync<AwsServiceException>(() => cloudFront.GetInvalidationAsync("E2ABC", "I1"));
        await new StsCallerIdentityProvider(Recorded).GetCallerIdentityAsync();

        Assert.Equal([$"cloudfront:GetInvalidation arn:aws:cloudfront::{Account}:distribution/E2ABC", "sts:GetCallerIdentity *"],
            AwsCallLog.Read(_log).Select(c => c.ToString()));
    }

    [Fact]
    public async Task A_signed_request_no_client_described_is_recorded_as_an_unknown_operation()
    {
        using var http = SignedHttpClient.Create(Recorded, "lambda", moto.Endpoint);

        using var response = await http.GetAsync("/2015-03-31/functions");

        var call = Assert.Single(AwsCallLog.Read(_log));
        Assert.Equal(("lambda", "Unknown(GET /2015-03-31/functions)", "*"), (call.Service, call.Operation, call.Resource));
    }

    [Fact]
    public async Task Nothing_is_recorded_unless_the_environment_asks_for_it()
    {
        using var s3 = S3ClientFactory.Create(moto.Aws);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "k", ContentBody = "x" });

        Assert.False(File.Exists(_log));
    }
}
