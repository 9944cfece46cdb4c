using Amazon.S3;
using Amazon.S3.Model;
using Depoxy.Aws;
using Depoxy.Deploy.Flows;
using Depoxy.Deploy.Tests.Support;
using Depoxy.Terraform;
using Depoxy.Testing;

namespace Depoxy.Deploy.Tests;

/// <summary>RestoreState's way back from a lost or replaced state: the versioned state bucket's last good version, copied over the key.</summary>
[Collection(DeployMotoCollection.Name)]
public sealed class StateHistoryTests(MotoServer moto)
{
    private const string Good = "b9340cd5-9908-5b7c-b29d-3c2c257e83f8";
    private const string Orphan = "7269ca17-f353-c5f6-bd47-95ddd9346062";
    private static readonly TerraformStack DevWww = new("dev", "www");
    private readonly IAmazonS3 _s3 = S3ClientFactory.Create(moto.Aws);

    private static string State(string lineage, int serial) =>
        $$"""{"version":4,"terraform_version":"1.11.4","serial":{{serial}},"lineage":"{{lineage}}","outputs":{},"resources":[]}""";

    private async Task<string> VersionedBucketAsync()
    {
        var bucket = "depoxy-state-" + Guid.NewGuid().ToString("N")[..12];
        await StageSeed.CreateBucketAsync(_s3, moto, bucket);
        await _s3.PutBucketVersioningAsync(new PutBucketVersioningRequest
        {
            BucketName = bucket,
            VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled },
        });
        return bucket;
    }

    private Task PutAsync(string bucket, string body) =>
        _s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = DevWww.StateKey, ContentBody = body });

    private async Task<StateSnapshot> CurrentAsync(string bucket)
    {
        using var response = await _s3.GetObjectAsync(bucket, DevWww.StateKey);
        using var reader = new StreamReader(response.ResponseStream);
        return StateSnapshot.Parse(DevWww, await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task A_deleted_state_comes_back_as_its_last_version()
    {
        var bucket = await VersionedBucketAsync();
        await PutAsync(bucket, State(Good, 1));
        await PutAsync(bucket, State(Good, 2));
        await _s3.DeleteObjectAsync(bucket, DevWww.StateKey);

        var restored = await new StateHistory(_s3, bucket).RestoreAsync(DevWww, recordedLineage: null);

        Assert.Equal(new StateSnapshot(Good, 2), restored?.State);
        Assert.Equal(new StateSnapshot(Good, 2), await CurrentAsync(bucket));
    }

    [Fact]
    public async Task A_replaced_state_gives_way_to_the_newest_version_of_the_lineage_the_release_ran_on()
    {
        var bucket = await VersionedBucketAsync();
        await PutAsync(bucket, State(Good, 4));
        await _s3.DeleteObjectAsync(bucket, DevWww.StateKey);
        await PutAsync(bucket, State(Orphan, 1));

        var history = new StateHistory(_s3, bucket);
        await history.RestoreAsync(DevWww, Good);

        Assert.Equal(new StateSnapshot(Good, 4), await CurrentAsync(bucket));
        Assert.Null(await history.RestoreAsync(DevWww, Good));
    }

    [Fact]
    public async Task A_state_without_a_good_version_is_refused_naming_versioning()
    {
        var bucket = await VersionedBucketAsync();
        await PutAsync(bucket, State(Orphan, 1));

        var e = await Assert.ThrowsAsync<DeployException>(() => new StateHistory(_s3, bucket).RestoreAsync(DevWww, Good));

        Assert.StartsWith($"s3://{bucket}/dev/www/terraform.tfstate keeps no version of lineage {Good}, which the stage's release ran on", e.Message);
    }
}
