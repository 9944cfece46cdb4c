using Depoxy.Deploy;
using Depoxy.Deploy.Flows;
using Depoxy.Emulator;
using Depoxy.Pipeline.Tests.Support;
using Depoxy.Testing;

namespace Depoxy.Pipeline.Tests;

[Collection(PipelineMotoCollection.Name)]
public sealed class DeployPromoteRollbackTests(MotoServer moto)
{
    [Fact]
    public async Task Dev_and_prod_run_the_same_bytes_and_a_prod_rollback_returns_to_v1_with_every_attempt_in_the_ledgers()
    {
        await using var world = await DeployWorld.CreateAsync(moto);
        var smoke = new SmokeCheckStandIn();
        var flow = world.Flow(smoke);
        var v1 = await world.PublishAsync("20260101.100000-gaaaaaaa");

        var devV1 = await world.DeployDevAsync(v1.Version, flow);
        var prodV1 = await world.PromoteAsync(flow);
        Assert.Equal(v1.Api.Base64Sha256, await world.CodeSha256Async("prod", prodV1.Record.LambdaVersion));

        var v2 = await world.PublishAsync("20260102.100000-gbbbbbbb");
        Assert.NotEqual(v1.Api.Base64Sha256, v2.Api.Base64Sha256);
        var devV2 = await world.DeployDevAsync(v2.Version, flow);
        var prodV2 = await world.PromoteAsync(flow);

        Assert.Equal(v2.Api.Base64Sha256, await world.CodeSha256Async("dev"));
        Assert.Equal(await world.CodeSha256Async("dev"), await world.CodeSha256Async("prod"));
        Assert.Equal(v2.Api.Base64Sha256, await world.CodeSha256Async("prod", "live"));
        Assert.Equal(prodV2.Record.LambdaVersion, await world.AliasVersionAsync("prod"));
        Assert.NotEqual(prodV1.Record.LambdaVersion, prodV2.Record.LambdaVersion);
        Assert.Equal(FixtureRelease.Page("www", v2.Version), await world.ReadTextAsync(MotoStageSeed.SiteBucket("prod", "www"), "index.html"));

        var rollback = await world.Flow(smoke).RollbackAsync("prod", DeployWorld.ProdBucket, null);

        Assert.Equal(v1.Version, rollback.Record.Version);
        Assert.Equal(prodV1.Record.LambdaVersion, await world.AliasVersionAsync("prod"));
        Assert.Equal(v1.Api.Base64Sha256, await world.CodeSha256Async("prod", "live"));
        Assert.Equal(v2.Api.Base64Sha256, await world.CodeSha256Async("dev", "live"));
        Assert.Equal(FixtureRelease.Page("www", v1.Version), await world.ReadTextAsync(MotoStageSeed.SiteBucket("prod", "www"), "index.html"));
        Assert.Equal(FixtureRelease.Page("app", v1.Version), await world.ReadTextAsync(MotoStageSeed.SiteBucket("prod", "app"), "index.html"));

        var dev = await world.Ledger("dev").GetHistoryAsync();
        Assert.Equal(
            [(ReleaseFlow.DeployKind, v2.Version, devV2.Record.LambdaVersion, ReleaseOutcome.Succeeded),
             (ReleaseFlow.DeployKind, v1.Version, devV1.Record.LambdaVersion, ReleaseOutcome.Succeeded)],
            dev.Select(r => (r.Kind, r.Version, r.LambdaVersion, r.Outcome)).ToArray());
        var prod = await world.Ledger("prod").GetHistoryAsync();
        Assert.Equal(
            [(ReleaseLedger.RollbackKind, v1.Version, prodV1.Record.LambdaVersion, ReleaseOutcome.Succeeded),
             (ReleaseFlow.PromoteKind, v2.Version, prodV2.Record.LambdaVersion, ReleaseOutcome.Succeeded),
             (ReleaseFlow.PromoteKind, v1.Version, prodV1.Record.LambdaVersion, ReleaseOutcome.Succeeded)],
            prod.Select(r => (r.Kind, r.Version, r.LambdaVersion, r.Outcome)).ToArray());
        Assert.All(prod, r => Assert.Equal(r.Version == v1.Version ? v1.Manifest.Commit : v2.Manifest.Commit, r.Commit));
        Assert.Equal(v1.Api.Sha256, prod[0].Hashes[v1.Api.Key]);
        Assert.Equal(rollback.Record.Version, (await world.Ledger("prod").GetCurrentAsync())?.Version);
        Assert.Equal(
            [("dev", v1.Version), ("prod", v1.Version), ("dev", v2.Version), ("prod", v2.Version), ("prod", v1.Version)],
            smoke.Checked);
    }

    [Fact]
    public async Task The_same_release_deployed_again_without_a_Terraform_change_is_recorded_as_unchanged()
    {
        await using var world = await DeployWorld.CreateAsync(moto);
        var flow = world.Flow(new SmokeCheckStandIn());
        var v1 = await world.PublishAsync("20260101.100000-gaaaaaaa");
        var first = await world.DeployDevAsync(v1.Version, flow);

        var again = await world.DeployDevAsync(v1.Version, flow, infrastructureChanged: false);
        var afterTerraform = await world.DeployDevAsync(v1.Version, flow, infrastructureChanged: true);

        Assert.False(first.Record.Unchanged);
        Assert.True(again.Record.Unchanged);
        Assert.Equal(0, again.SiteBytesUploaded);
        Assert.Equal(first.Record.LambdaVersion, again.Record.LambdaVersion);
        Assert.Equal(first.Record.LambdaVersion, await world.AliasVersionAsync("dev"));
        Assert.False(afterTerraform.Record.Unchanged);
        var history = await world.Ledger("dev").GetHistoryAsync();
        Assert.Equal(new[] { false, true, false }, history.Select(r => r.Unchanged).Reverse());
        Assert.Contains("Succeeded (unchanged)", ReleasesTable.ToPlainText(history));
    }
}
