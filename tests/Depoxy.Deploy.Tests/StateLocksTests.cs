using Amazon.S3;
using Amazon.S3.Model;
using Depoxy.Aws;
using Depoxy.Deploy.Tests.Support;
using Depoxy.Testing;

namespace Depoxy.Deploy.Tests;

/// <summary>BreakLock's second half: terraform's state locks an interrupted run left on the stage's states.</summary>
[Collection(DeployMotoCollection.Name)]
public sealed class StateLocksTests(MotoServer moto)
{
    private readonly IAmazonS3 _s3 = S3ClientFactory.Create(moto.Aws);

    [Fact]
    public async Task Breaking_a_stages_state_locks_names_each_holder_and_leaves_states_and_other_stages_alone()
    {
        var bucket = "depoxy-state-" + Guid.NewGuid().ToString("N")[..12];
        await StageSeed.CreateBucketAsync(_s3, moto, bucket);
        foreach (var key in new[] { "dev/www/terraform.tfstate", "prod/www/terraform.tfstate.tflock" })
            await _s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = "{}" });
        await _s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "dev/www/terraform.tfstate.tflock",
            ContentBody = """{"ID":"6a3c","Operation":"OperationTypeApply","Who":"runner@ci-host","Version":"1.11.4","Created":"2026-12-07T01:02:03Z","Path":"x"}""",
        });
        var locks = new StateLocks(_s3, bucket);

        var broken = await locks.BreakAsync("dev");

        Assert.Equal(["dev/www/terraform.tfstate.tflock (OperationTypeApply by runner@ci-host since 2026-12-07T01:02:03Z)"], broken.Select(l => l.ToString()));
        Assert.Empty(await locks.ListAsync("dev"));
        Assert.Single(await locks.ListAsync("prod"));
        Assert.Equal(["dev/www/terraform.tfstate", "prod/www/terraform.tfstate.tflock"],
            (await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects.Select(o => o.Key).Order(StringComparer.Ordinal));
    }
}
