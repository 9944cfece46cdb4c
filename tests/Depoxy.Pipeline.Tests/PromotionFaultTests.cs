using Depoxy.Deploy;
using Depoxy.Deploy.Flows;
using Depoxy.Packaging;
using Depoxy.Pipeline.Tests.Support;
using Depoxy.Testing;

namespace Depoxy.Pipeline.Tests;

/// <summary>Promote refuses, before prod changes, anything that is not exactly what dev ran.</summary>
[Collection(PipelineMotoCollection.Name)]
public sealed class PromotionFaultTests(MotoServer moto)
{
    private const string V1 = "20260101.100000-gaaaaaaa";
    private const string V2 = "20260102.100000-gbbbbbbb";

    /// <summary>dev runs v2 while prod runs v1: the state in which every promotion fault below is tried.</summary>
    private static async Task<(DeployWorld World, ReleaseFlow Flow)> DevAheadOfProdAsync(MotoServer moto, string v2 = V2)
    {
        var world = await DeployWorld.CreateAsync(moto);
        var flow = world.Flow(new SmokeCheckStandIn());
        await world.PublishAsync(V1);
        await world.DeployDevAsync(V1, flow);
        await world.PromoteAsync(flow);
        await world.PublishAsync(v2);
        await world.DeployDevAsync(v2, flow);
        return (world, flow);
    }

    private sealed record ProdState(IReadOnlyDictionary<string, string> Bucket, string? Alias, string LiveCodeSha256, int LedgerEntries);

    private static async Task<ProdState> ProdAsync(DeployWorld world) =>
        new(await world.SnapshotAsync(DeployWorld.ProdBucket), await world.AliasVersionAsync("prod"),
            await world.CodeSha256Async("prod", "live"), (await world.Ledger("prod").GetHistoryAsync()).Count);

    private static void AssertUnchanged(ProdState before, ProdState after)
    {
        Assert.Equal(before.Bucket.OrderBy(p => p.Key), after.Bucket.OrderBy(p => p.Key));
        Assert.Equal(before.Alias, after.Alias);
        Assert.Equal(before.LiveCodeSha256, after.LiveCodeSha256);
        Assert.Equal(before.LedgerEntries, after.LedgerEntries);
    }

    [Fact]
    public async Task An_artifact_tampered_in_the_source_bucket_after_publish_is_refused_and_prod_is_unchanged()
    {
        var (world, flow) = await DevAheadOfProdAsync(moto);
        await using var _ = world;
        var api = world.Release(V2).Api;
        await world.PutRawAsync(DeployWorld.DevBucket, api.Key, "#!/bin/sh\n# not what was built\n");
        var before = await ProdAsync(world);

        var error = await Assert.ThrowsAsync<ArtifactIntegrityException>(() => world.PromoteAsync(flow));

        Assert.Contains($"s3://{DeployWorld.DevBucket}/{api.Key}", error.Message);
        Assert.Contains($"the manifest of {V2} says {api.Sha256}: the object was altered", error.Message);
        AssertUnchanged(before, await ProdAsync(world));
        Assert.DoesNotContain(before.Bucket.Keys, k => k.Contains(V2));
    }

    [Theory]
    [InlineData("api")]
    [InlineData("app")]
    public async Task A_prod_bucket_already_holding_the_version_with_other_bytes_is_refused_before_anything_is_copied(string artifact)
    {
        var (world, flow) = await DevAheadOfProdAsync(moto);
        await using var _ = world;
        var squatter = world.Release(V2).Manifest.Artifacts.First(a => a.Name == artifact);
        await world.PutRawAsync(DeployWorld.ProdBucket, squatter.Key, "other bytes under the same version");
        var before = await ProdAsync(world);

        var error = await Assert.ThrowsAsync<ArtifactConflictException>(() => world.PromoteAsync(flow));

        Assert.Equal(squatter.Key, error.Key);
        Assert.Contains("is already published with different content", error.Message);
        AssertUnchanged(before, await ProdAsync(world));
    }

    [Fact]
    public async Task A_dirty_version_is_refused_before_anything_changes()
    {
        const string dirty = "20260103.100000-gccccccc-dirty.20260103100000";
        var (world, flow) = await DevAheadOfProdAsync(moto, dirty);
        await using var _ = world;
        Assert.True(ReleaseVersion.IsDirty(dirty));
        var before = await ProdAsync(world);

        var current = await Assert.ThrowsAsync<DeployException>(() => world.PromoteAsync(flow));
        var named = await Assert.ThrowsAsync<DeployException>(() => world.PromoteAsync(flow, dirty));
        var copied = await Assert.ThrowsAsync<DeployException>(() => new Promotion(world.S3, world.S3).CopyAsync(DeployWorld.DevBucket, DeployWorld.ProdBucket, dirty));

        Assert.Equal($"refusing to promote {dirty}: it was built from a dirty working tree; commit and deploy dev again", current.Message);
        Assert.Equal(current.Message, named.Message);
        Assert.Equal($"refusing to promote {dirty}: its manifest marks a dirty build", copied.Message);
        AssertUnchanged(before, await ProdAsync(world));
    }

    [Fact]
    public async Task A_version_dev_never_ran_successfully_is_refused_naming_the_ledger()
    {
        var (world, flow) = await DevAheadOfProdAsync(moto);
        await using var _ = world;
        await world.PublishAsync("20260104.100000-gdddddddd");
        var before = await ProdAsync(world);

        var error = await Assert.ThrowsAsync<DeployException>(() => world.PromoteAsync(flow, "20260104.100000-gdddddddd"));

        Assert.Contains("never ran successfully on dev", error.Message);
        Assert.Contains("./build.sh Releases --stage dev", error.Message);
        AssertUnchanged(before, await ProdAsync(world));
    }
}
