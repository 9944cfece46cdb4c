using System.Net;
using Depoxy.Aws.Sts;
using Depoxy.Deploy;
using Depoxy.Deploy.Flows;
using Depoxy.Emulator;
using Depoxy.Pipeline.Tests.Support;
using Depoxy.Testing;

namespace Depoxy.Pipeline.Tests;

/// <summary>Deploy's guards and its answers to failures: refuse early, retry what is transient, put back what broke.</summary>
[Collection(PipelineMotoCollection.Name)]
public sealed class ReleaseFaultTests(MotoServer moto)
{
    private const string V1 = "20260101.100000-gaaaaaaa";
    private const string V2 = "20260102.100000-gbbbbbbb";

    private static bool IsUpdateFunctionCode(HttpRequestMessage request) =>
        request.Method == HttpMethod.Put && request.RequestUri!.AbsolutePath == $"/2015-03-31/functions/{MotoStageSeed.FunctionName("dev")}/code";

    private static bool IsCreateInvalidation(HttpRequestMessage request) =>
        request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath.EndsWith("/invalidation", StringComparison.Ordinal);

    private static async Task<(DeployWorld World, ReleaseResult First)> DevOnV1Async(MotoServer moto)
    {
        var world = await DeployWorld.CreateAsync(moto);
        await world.PublishAsync(V1);
        var first = await world.DeployDevAsync(V1, world.Flow(new SmokeCheckStandIn()));
        await world.PublishAsync(V2);
        return (world, first);
    }

    [Fact]
    public async Task A_failed_smoke_test_moves_the_alias_and_the_sites_back_and_records_the_failure()
    {
        var (world, first) = await DevOnV1Async(moto);
        await using var _ = world;

        var error = await Assert.ThrowsAsync<DeployException>(() => world.DeployDevAsync(V2, world.Flow(SmokeCheckStandIn.Failing())));

        Assert.StartsWith("smoke test of dev failed: ", error.Message);
        Assert.Equal(first.Record.LambdaVersion, await world.AliasVersionAsync("dev"));
        Assert.Equal(world.Release(V1).Api.Base64Sha256, await world.CodeSha256Async("dev", "live"));
        Assert.Equal(FixtureRelease.Page("www", V1), await world.ReadTextAsync(MotoStageSeed.SiteBucket("dev", "www"), "index.html"));
        Assert.Equal(FixtureRelease.Page("app", V1), await world.ReadTextAsync(MotoStageSeed.SiteBucket("dev", "app"), "index.html"));
        var history = await world.Ledger("dev").GetHistoryAsync();
        Assert.Equal([(V2, ReleaseOutcome.RolledBack), (V1, ReleaseOutcome.Succeeded)], history.Select(r => (r.Version, r.Outcome)).ToArray());
        Assert.NotEqual(first.Record.LambdaVersion, history[0].LambdaVersion);
        Assert.Equal(error.Message, history[0].Reason);
        Assert.Equal(V1, (await world.Ledger("dev").GetCurrentAsync())?.Version);
    }

    [Fact]
    public async Task A_release_without_a_site_the_stage_serves_is_refused_before_anything_changes()
    {
        var (world, first) = await DevOnV1Async(moto);
        await using var _ = world;
        var manifest = world.Release(V2).Manifest;
        var withoutWww = manifest with { Artifacts = [.. manifest.Artifacts.Where(a => !(a.Kind == Depoxy.Packaging.ArtifactKinds.Site && a.Name == "www"))] };
        var before = await world.SnapshotAsync(MotoStageSeed.SiteBucket("dev", "www"));

        var error = await Assert.ThrowsAsync<DeployException>(async () =>
            await world.Flow(new SmokeCheckStandIn()).ReleaseAsync(await world.StageAsync("dev", V2), withoutWww, ReleaseFlow.DeployKind));

        Assert.Equal($"release {V2} has no www site, but dev serves one (tf/dev/www): restore www/ and deploy again, or remove tf/dev/www first", error.Message);
        Assert.Equal(first.Record.LambdaVersion, await world.AliasVersionAsync("dev"));
        Assert.Equal(before, await world.SnapshotAsync(MotoStageSeed.SiteBucket("dev", "www")));
        var history = await world.Ledger("dev").GetHistoryAsync();
        Assert.Equal((V2, ReleaseOutcome.Refused), (history[0].Version, history[0].Outcome));
        Assert.Equal(V1, (await world.Ledger("dev").GetCurrentAsync())?.Version);
    }

    [Fact]
    public async Task A_second_concurrent_deploy_is_refused_naming_the_lock_holder()
    {
        await using var world = await DeployWorld.CreateAsync(moto);
        var held = await new StageLock(world.S3, DeployWorld.DevBucket, "dev").AcquireAsync("Deploy");

        var error = await Assert.ThrowsAsync<StageLockedException>(() => new StageLock(world.S3, DeployWorld.DevBucket, "dev").AcquireAsync("Deploy"));

        Assert.StartsWith($"refusing to deploy dev: the stage is locked by Deploy by {held.Holder.Who} since {held.Holder.Since.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC", error.Message);
        Assert.EndsWith("if that run is dead, ./build.sh BreakLock --stage dev removes the lock once its heartbeat stops", error.Message);
        Assert.Equal(held.Holder.Token, error.Holder?.Token);

        await held.ReleaseAsync();
        await using var next = await new StageLock(world.S3, DeployWorld.DevBucket, "dev").AcquireAsync("Deploy");
        Assert.NotEqual(held.Holder.Token, next.Holder.Token);
    }

    [Fact]
    public async Task A_Lambda_409_during_UpdateFunctionCode_is_waited_out_and_the_deploy_succeeds()
    {
        var (world, first) = await DevOnV1Async(moto);
        await using var _ = world;
        using var conflict = FaultInjectingHandler.Lambda(IsUpdateFunctionCode, HttpStatusCode.Conflict, "ResourceConflictException");
        var retries = new List<string>();

        var result = await world.DeployDevAsync(V2, world.Flow(new SmokeCheckStandIn(), lambdaTransport: conflict, onLambdaRetry: retries.Add));

        Assert.Equal(1, conflict.Injected);
        Assert.Equal(2, conflict.Seen.Count(s => s.StartsWith("PUT ") && s.EndsWith("/code")));
        Assert.Single(retries);
        Assert.Equal(ReleaseOutcome.Succeeded, result.Record.Outcome);
        Assert.NotEqual(first.Record.LambdaVersion, result.Record.LambdaVersion);
        Assert.Equal(result.Record.LambdaVersion, await world.AliasVersionAsync("dev"));
        Assert.Equal(world.Release(V2).Api.Base64Sha256, await world.CodeSha256Async("dev", "live"));
    }

    [Fact]
    public async Task A_CloudFront_5xx_on_CreateInvalidation_is_retried_and_the_deploy_succeeds()
    {
        var (world, _) = await DevOnV1Async(moto);
        await using var __ = world;
        using var unavailable = FaultInjectingHandler.CloudFront(IsCreateInvalidation, HttpStatusCode.ServiceUnavailable, "ServiceUnavailable");

        var result = await world.DeployDevAsync(V2, world.Flow(new SmokeCheckStandIn(), cloudFrontTransport: unavailable));

        Assert.Equal(1, unavailable.Injected);
        // www: the injected 503 and its retry; app: one call.
        Assert.Equal(3, unavailable.Seen.Count(s => s.StartsWith("POST ") && s.EndsWith("/invalidation")));
        Assert.Equal(ReleaseOutcome.Succeeded, result.Record.Outcome);
        Assert.Equal(result.Record.LambdaVersion, await world.AliasVersionAsync("dev"));
        Assert.Equal(FixtureRelease.Page("www", V2), await world.ReadTextAsync(MotoStageSeed.SiteBucket("dev", "www"), "index.html"));
    }

    [Fact]
    public async Task A_CloudFront_outage_outlasting_the_retries_fails_the_deploy_and_restores_alias_and_sites()
    {
        var (world, first) = await DevOnV1Async(moto);
        await using var _ = world;
        // Exactly the four attempts of the deploy's first invalidation fail; the restore's invalidations go through.
        using var outage = FaultInjectingHandler.CloudFront(IsCreateInvalidation, HttpStatusCode.InternalServerError, "InternalError", times: 4);

        var error = await Assert.ThrowsAsync<Depoxy.Aws.AwsServiceException>(() => world.DeployDevAsync(V2, world.Flow(new SmokeCheckStandIn(), cloudFrontTransport: outage)));

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal(4, outage.Injected);
        Assert.Equal(first.Record.LambdaVersion, await world.AliasVersionAsync("dev"));
        Assert.Equal(FixtureRelease.Page("www", V1), await world.ReadTextAsync(MotoStageSeed.SiteBucket("dev", "www"), "index.html"));
        var history = await world.Ledger("dev").GetHistoryAsync();
        Assert.Equal((V2, ReleaseOutcome.RolledBack), (history[0].Version, history[0].Outcome));
    }

    [Fact]
    public async Task A_deploy_whose_restore_also_fails_is_still_recorded_in_the_ledger()
    {
        var (world, first) = await DevOnV1Async(moto);
        await using var _ = world;
        using var outage = FaultInjectingHandler.CloudFront(IsCreateInvalidation, HttpStatusCode.InternalServerError, "InternalError", times: 100);

        await Assert.ThrowsAnyAsync<Exception>(() => world.DeployDevAsync(V2, world.Flow(new SmokeCheckStandIn(), cloudFrontTransport: outage)));

        Assert.Equal(first.Record.LambdaVersion, await world.AliasVersionAsync("dev"));
        var history = await world.Ledger("dev").GetHistoryAsync();
        Assert.Equal([V2, V1], history.Select(r => r.Version).ToArray());
        Assert.NotEqual(ReleaseOutcome.Succeeded, history[0].Outcome);
    }

    [Fact]
    public async Task A_rollback_to_a_release_whose_site_was_tampered_is_refused_before_the_alias_moves()
    {
        var (world, first) = await DevOnV1Async(moto);
        await using var _ = world;
        var second = await world.DeployDevAsync(V2, world.Flow(new SmokeCheckStandIn()));
        var www = world.Release(V1).Manifest.Artifacts.Single(a => a.Name == "www");
        await world.S3.DeleteObjectAsync(DeployWorld.DevBucket, www.Key);
        await world.PutRawAsync(DeployWorld.DevBucket, www.Key, "not the site that was released");

        var error = await Assert.ThrowsAsync<Depoxy.Packaging.ArtifactIntegrityException>(() => world.Flow(new SmokeCheckStandIn()).RollbackAsync("dev", DeployWorld.DevBucket, null));

        Assert.Contains($"s3://{DeployWorld.DevBucket}/{www.Key}", error.Message);
        Assert.Contains("the object was altered", error.Message);
        Assert.Equal(second.Record.LambdaVersion, await world.AliasVersionAsync("dev"));
        Assert.Equal(FixtureRelease.Page("www", V2), await world.ReadTextAsync(MotoStageSeed.SiteBucket("dev", "www"), "index.html"));
        Assert.NotEqual(first.Record.LambdaVersion, await world.AliasVersionAsync("dev"));
        var history = await world.Ledger("dev").GetHistoryAsync();
        Assert.Equal((V1, ReleaseOutcome.Refused, ReleaseLedger.RollbackKind), (history[0].Version, history[0].Outcome, history[0].Kind));
        Assert.Equal($"rolling dev back to {V1} stopped before the alias moved: {error.Message}", history[0].Reason);
        Assert.Equal(V2, (await world.Ledger("dev").GetCurrentAsync())?.Version);
    }

    [Fact]
    public async Task A_rollback_whose_smoke_test_fails_is_undone_and_says_so()
    {
        var (world, _) = await DevOnV1Async(moto);
        await using var __ = world;
        var second = await world.DeployDevAsync(V2, world.Flow(new SmokeCheckStandIn()));

        var error = await Assert.ThrowsAsync<DeployException>(() => world.Flow(SmokeCheckStandIn.Failing()).RollbackAsync("dev", DeployWorld.DevBucket, null));

        Assert.StartsWith($"rolling dev back to {V1} failed: smoke test of dev failed: ", error.Message);
        Assert.Contains($"undone: alias live is back on Lambda version {second.Record.LambdaVersion}", error.Message);
        Assert.Equal(second.Record.LambdaVersion, await world.AliasVersionAsync("dev"));
        Assert.Equal(FixtureRelease.Page("www", V2), await world.ReadTextAsync(MotoStageSeed.SiteBucket("dev", "www"), "index.html"));
        var history = await world.Ledger("dev").GetHistoryAsync();
        Assert.Equal((V1, ReleaseOutcome.RolledBack, ReleaseLedger.RollbackKind), (history[0].Version, history[0].Outcome, history[0].Kind));
        Assert.Equal(V2, (await world.Ledger("dev").GetCurrentAsync())?.Version);
    }

    [Fact]
    public async Task A_deploy_whose_site_distribution_is_gone_names_it_with_the_site_the_stage_and_the_fix_and_restores_alias_and_sites()
    {
        var (world, first) = await DevOnV1Async(moto);
        await using var _ = world;
        var (www, _, _) = await world.Seeder.SeedStageAsync("dev");
        var wwwBefore = await world.SnapshotAsync(www.BucketName);
        using var gone = FaultInjectingHandler.CloudFront(IsCreateInvalidation, HttpStatusCode.NotFound, "NoSuchDistribution");

        var error = await Assert.ThrowsAsync<DeployException>(() => world.DeployDevAsync(V2, world.Flow(new SmokeCheckStandIn(), cloudFrontTransport: gone)));

        Assert.Equal($"dev: CloudFront distribution {www.DistributionId} of the www site does not exist (404 NoSuchDistribution): " +
                     "re-apply dev's www stack (./build.sh Deploy --stage dev --stack www), then run again", error.Message);
        Assert.Equal(1, gone.Injected);
        Assert.Equal(first.Record.LambdaVersion, await world.AliasVersionAsync("dev"));
        Assert.Equal(wwwBefore, await world.SnapshotAsync(www.BucketName));
        var history = await world.Ledger("dev").GetHistoryAsync();
        Assert.Equal((V2, ReleaseOutcome.RolledBack, error.Message), (history[0].Version, history[0].Outcome, history[0].Reason));
        Assert.Equal(V1, (await world.Ledger("dev").GetCurrentAsync())?.Version);
    }

    [Fact]
    public async Task A_rollback_whose_site_distribution_is_gone_names_it_with_the_site_the_stage_and_the_fix_and_is_undone()
    {
        var (world, _) = await DevOnV1Async(moto);
        await using var __ = world;
        var second = await world.DeployDevAsync(V2, world.Flow(new SmokeCheckStandIn()));
        var (www, app, _) = await world.Seeder.SeedStageAsync("dev");
        var wwwBefore = await world.SnapshotAsync(www.BucketName);
        var appBefore = await world.SnapshotAsync(app.BucketName);
        using var gone = FaultInjectingHandler.CloudFront(IsCreateInvalidation, HttpStatusCode.NotFound, "NoSuchDistribution");

        var error = await Assert.ThrowsAsync<DeployException>(() => world.Flow(new SmokeCheckStandIn(), cloudFrontTransport: gone).RollbackAsync("dev", DeployWorld.DevBucket, null));

        Assert.Equal($"rolling dev back to {V1} failed: dev: CloudFront distribution {www.DistributionId} of the www site does not exist (404 NoSuchDistribution): " +
                     "re-apply dev's www stack (./build.sh Deploy --stage dev --stack www), then run again; " +
                     $"undone: alias live is back on Lambda version {second.Record.LambdaVersion} and the sites on what ran before", error.Message);
        Assert.Equal(second.Record.LambdaVersion, await world.AliasVersionAsync("dev"));
        Assert.Equal(wwwBefore, await world.SnapshotAsync(www.BucketName));
        Assert.Equal(appBefore, await world.SnapshotAsync(app.BucketName));
        var history = await world.Ledger("dev").GetHistoryAsync();
        Assert.Equal((V1, ReleaseOutcome.RolledBack, ReleaseLedger.RollbackKind), (history[0].Version, history[0].Outcome, history[0].Kind));
        Assert.Equal(V2, (await world.Ledger("dev").GetCurrentAsync())?.Version);
    }

    [Fact]
    public async Task A_rollback_whose_function_is_gone_names_it_with_the_stage_and_the_fix_changes_nothing_and_is_recorded_as_refused()
    {
        var (world, _) = await DevOnV1Async(moto);
        await using var __ = world;
        var second = await world.DeployDevAsync(V2, world.Flow(new SmokeCheckStandIn()));
        var function = MotoStageSeed.FunctionName("dev");
        var wwwBefore = await world.SnapshotAsync(MotoStageSeed.SiteBucket("dev", "www"));
        using var gone = FaultInjectingHandler.Lambda(r => r.RequestUri!.AbsolutePath.Contains($"/functions/{function}", StringComparison.Ordinal),
            HttpStatusCode.NotFound, "ResourceNotFoundException", times: 100);

        var error = await Assert.ThrowsAsync<LambdaReleaseException>(() => world.Flow(new SmokeCheckStandIn(), lambdaTransport: gone).RollbackAsync("dev", DeployWorld.DevBucket, null));

        Assert.Equal($"dev: could not read Lambda {function} (404 ResourceNotFoundException: ResourceNotFoundException (injected by the test)): " +
                     "the function does not exist; apply dev's api stack (./build.sh Deploy --stage dev) or check the function name in its outputs", error.Message);
        Assert.Equal(1, gone.Injected);
        Assert.Equal(second.Record.LambdaVersion, await world.AliasVersionAsync("dev"));
        Assert.Equal(wwwBefore, await world.SnapshotAsync(MotoStageSeed.SiteBucket("dev", "www")));
        var history = await world.Ledger("dev").GetHistoryAsync();
        Assert.Equal((V1, ReleaseOutcome.Refused, ReleaseLedger.RollbackKind), (history[0].Version, history[0].Outcome, history[0].Kind));
        Assert.Equal($"rolling dev back to {V1} stopped before the alias moved: {error.Message}", history[0].Reason);
        Assert.Equal(V2, (await world.Ledger("dev").GetCurrentAsync())?.Version);
    }

    [Fact]
    public async Task A_deploy_whose_function_is_gone_names_it_with_the_stage_and_the_fix_changes_nothing_and_is_recorded()
    {
        var (world, first) = await DevOnV1Async(moto);
        await using var _ = world;
        var function = MotoStageSeed.FunctionName("dev");
        var wwwBefore = await world.SnapshotAsync(MotoStageSeed.SiteBucket("dev", "www"));
        using var gone = FaultInjectingHandler.Lambda(r => r.RequestUri!.AbsolutePath.Contains($"/functions/{function}", StringComparison.Ordinal),
            HttpStatusCode.NotFound, "ResourceNotFoundException", times: 100);

        var error = await Assert.ThrowsAsync<LambdaReleaseException>(() => world.DeployDevAsync(V2, world.Flow(new SmokeCheckStandIn(), lambdaTransport: gone)));

        Assert.Equal($"dev: could not read Lambda {function} (404 ResourceNotFoundException: ResourceNotFoundException (injected by the test)): " +
                     "the function does not exist; apply dev's api stack (./build.sh Deploy --stage dev) or check the function name in its outputs", error.Message);
        Assert.Equal(1, gone.Injected);
        Assert.Equal(first.Record.LambdaVersion, await world.AliasVersionAsync("dev"));
        Assert.Equal(world.Release(V1).Api.Base64Sha256, await world.CodeSha256Async("dev"));
        Assert.Equal(wwwBefore, await world.SnapshotAsync(MotoStageSeed.SiteBucket("dev", "www")));
        var history = await world.Ledger("dev").GetHistoryAsync();
        Assert.Equal((V2, ReleaseOutcome.Failed, error.Message), (history[0].Version, history[0].Outcome, history[0].Reason));
        Assert.Equal(V1, (await world.Ledger("dev").GetCurrentAsync())?.Version);
    }

    [Theory]
    [InlineData("api.zip tampered")]
    [InlineData("api.zip.base64sha256 missing")]
    public async Task A_release_whose_api_bytes_do_not_prove_out_is_refused_before_any_Lambda_call_and_recorded_as_refused(string fault)
    {
        var (world, first) = await DevOnV1Async(moto);
        await using var _ = world;
        var api = world.Release(V2).Api;
        if (fault == "api.zip tampered")
        {
            await world.S3.DeleteObjectAsync(DeployWorld.DevBucket, api.Key);
            await world.PutRawAsync(DeployWorld.DevBucket, api.Key, "not the api that was released");
        }
        else
        {
            await world.S3.DeleteObjectAsync(DeployWorld.DevBucket, api.Key + ".base64sha256");
        }
        var wwwBefore = await world.SnapshotAsync(MotoStageSeed.SiteBucket("dev", "www"));
        var lambda = FaultInjectingHandler.Recording();

        var error = await Assert.ThrowsAsync<HashMismatchException>(() => world.DeployDevAsync(V2, world.Flow(new SmokeCheckStandIn(), lambdaTransport: lambda)));

        Assert.Contains("no Lambda call was made and dev runs what it ran: ", error.Message);
        Assert.Contains($"s3://{DeployWorld.DevBucket}/{api.Key}", error.Message);
        Assert.Empty(lambda.Seen);
        Assert.Equal(world.Release(V1).Api.Base64Sha256, await world.CodeSha256Async("dev"));
        Assert.Equal(first.Record.LambdaVersion, await world.AliasVersionAsync("dev"));
        Assert.Equal(["$LATEST", first.Record.LambdaVersion!], await world.Lambda.ListVersionsByFunctionAsync(MotoStageSeed.FunctionName("dev")).Select(v => v.Version).ToListAsync());
        Assert.Equal(wwwBefore, await world.SnapshotAsync(MotoStageSeed.SiteBucket("dev", "www")));
        var history = await world.Ledger("dev").GetHistoryAsync();
        Assert.Equal((V2, ReleaseOutcome.Refused, error.Message), (history[0].Version, history[0].Outcome, history[0].Reason));
        Assert.Equal(V1, (await world.Ledger("dev").GetCurrentAsync())?.Version);
    }

    [Fact]
    public async Task Credentials_of_another_account_are_refused_and_those_of_the_stage_pass()
    {
        var guard = new AccountGuard(new StsCallerIdentityProvider(moto.Aws));

        var error = await Assert.ThrowsAsync<AccountMismatchException>(() => guard.EnsureAsync("prod", "210987654321"));
        var caller = await guard.EnsureAsync("dev", EmulatorServer.AccountId);

        Assert.Equal($"refusing to deploy prod: credentials are for account {EmulatorServer.AccountId}, prod is account 210987654321", error.Message);
        Assert.Equal(EmulatorServer.AccountId, caller.Account);
    }
}
