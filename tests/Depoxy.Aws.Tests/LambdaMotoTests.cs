using Amazon.S3;
using Amazon.S3.Model;
using Depoxy.Aws.Lambda;
using Depoxy.Aws.Sts;
using Depoxy.Testing;

namespace Depoxy.Aws.Tests;

/// <summary>The client against moto's Lambda: moto runs no code for these calls, so no docker is needed.</summary>
[Collection(MotoCollection.Name)]
public sealed class LambdaMotoTests(MotoServer moto) : IAsyncLifetime
{
    private const string Bucket = "depoxy-test-artifacts";

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        await moto.CreateBucketsAsync(Bucket);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Update_publish_and_alias_round_trip()
    {
        var v1 = MotoLambdaSeed.Zip(("run.sh", "echo 1"));
        var v2 = MotoLambdaSeed.Zip(("run.sh", "echo 2"));
        await PutAsync("api/1/api.zip", v1);
        await PutAsync("api/2/api.zip", v2);
        var role = await MotoLambdaSeed.CreateRoleAsync(moto.Aws, "api-role");
        await MotoLambdaSeed.CreateFunctionAsync(moto.Aws, "api", Bucket, "api/1/api.zip", role);
        using var lambda = LambdaClient.Create(moto.Aws);
        var waiter = new LambdaWaiter(lambda);

        var before = await lambda.GetFunctionAsync("api");
        var updated = await lambda.UpdateFunctionCodeAsync(new UpdateFunctionCodeRequest("api", Bucket, "api/2/api.zip")
        {
            RevisionId = before.Configuration.RevisionId,
        });
        var settled = await waiter.FunctionUpdatedV2Async("api");
        var published = await lambda.PublishVersionAsync(new PublishVersionRequest("api") { CodeSha256 = settled.CodeSha256, Description = "2" });
        var active = await waiter.PublishedVersionActiveAsync("api", published.Version);
        Assert.Null(await lambda.GetAliasAsync("api", "live"));
        var created = await lambda.CreateAliasAsync("api", "live", published.Version);
        var moved = await lambda.UpdateAliasAsync("api", "live", "$LATEST", created.RevisionId);
        var versions = await lambda.ListVersionsByFunctionAsync("api").Select(v => v.Version).ToListAsync();

        Assert.Equal(MotoLambdaSeed.Base64Sha256(v1), before.Configuration.CodeSha256);
        Assert.Equal(MotoLambdaSeed.Base64Sha256(v2), updated.CodeSha256);
        Assert.Equal(MotoLambdaSeed.Base64Sha256(v2), published.CodeSha256);
        Assert.Equal("Active", active.State);
        Assert.Equal(published.Version, created.FunctionVersion);
        Assert.Equal("$LATEST", moved.FunctionVersion);
        Assert.Equal(["$LATEST", published.Version], versions);
    }

    [Fact]
    public async Task A_missing_function_is_a_ResourceNotFoundException()
    {
        using var lambda = LambdaClient.Create(moto.Aws);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => lambda.GetFunctionAsync("nope"));

        Assert.Equal("ResourceNotFoundException", error.ErrorCode);
    }

    [Fact]
    public async Task Sts_names_motos_account()
    {
        var identity = await new StsCallerIdentityProvider(moto.Aws).GetCallerIdentityAsync();

        Assert.Equal("123456789012", identity.Account);
        Assert.StartsWith("arn:aws:", identity.Arn);
    }

    private async Task PutAsync(string key, byte[] bytes)
    {
        using var s3 = S3ClientFactory.Create(moto.Aws);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, InputStream = new MemoryStream(bytes) });
    }
}
