using Depoxy.Deploy.Flows;
using Depoxy.Pipeline.Tests.Support;
using Depoxy.Testing;

namespace Depoxy.Pipeline.Tests;

/// <summary>What a release records of the state it ran on: drift its apply put back.</summary>
[Collection(PipelineMotoCollection.Name)]
public sealed class StateSafetyTests(MotoServer moto)
{
    private const string V1 = "20260101.100000-gaaaaaaa";

    [Fact]
    public async Task A_deploy_whose_apply_put_drift_back_records_the_correction_in_the_ledger()
    {
        await using var world = await DeployWorld.CreateAsync(moto);
        var release = await world.PublishAsync(V1);
        const string corrected = "dev/www: module.s3-site.aws_s3_bucket_versioning.site: versioning_configuration[0].status: \"Enabled\" → \"Suspended\"";
        var stage = await world.StageAsync("dev", V1) with { CorrectedDrift = [corrected] };

        await world.Flow(new SmokeCheckStandIn()).ReleaseAsync(stage, release.Manifest, ReleaseFlow.DeployKind);

        var recorded = (await world.Ledger("dev").GetHistoryAsync()).Single();
        Assert.Equal([corrected], recorded.CorrectedDrift);
        Assert.Equal([corrected], (await world.Ledger("dev").GetCurrentAsync())!.CorrectedDrift);
    }
}
