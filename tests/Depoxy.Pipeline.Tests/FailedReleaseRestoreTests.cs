using System.Net;
using Depoxy.Deploy;
using Depoxy.Deploy.Flows;
using Depoxy.Packaging.Publishing;
using Depoxy.Pipeline.Tests.Support;
using Depoxy.Testing;

namespace Depoxy.Pipeline.Tests;

/// <summary>
/// A release that fails after its sites were synced, by any cause, leaves bucket, alias and current.json naming the
/// same release: the one that ran before. The new release grows www from 2 to 12 files, so putting the old one back
/// deletes more than half of the bucket, which the sync's guard against accidents must allow for a recorded release.
/// </summary>
[Collection(PipelineMotoCollection.Name)]
public sealed class FailedReleaseRestoreTests(MotoServer moto)
{
    private const string V1 = "20260101.100000-gaaaaaaa";
    private const string V2 = "20260102.100000-gbbbbbbb";

    private static bool IsCreateInvalidation(HttpRequestMessage request) =>
        request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath.EndsWith("/invalidation", StringComparison.Ordinal);

    [Theory]
    [InlineData("smoke test fails")]
    [InlineData("CloudFront answers NoSuchDistribution")]
    [InlineData("the run is interrupted during the site sync")]
    public async Task A_release_that_fails_after_growing_the_site_puts_bucket_alias_and_current_json_back_on_the_previous_release(string fault)
    {
        await using var world = await DeployWorld.CreateAsync(moto);
        await world.PublishAsync(V1);
        var first = await world.DeployDevAsync(V1, world.Flow(new SmokeCheckStandIn()));
        await world.PublishAsync(V2, extraWwwPages: 10);
        var www = MotoStageSeed.SiteBucket("dev", "www");
        var wwwBefore = await world.SnapshotAsync(www);
        using var interrupt = new CancellationTokenSource();
        using HttpMessageHandler cloudFront = fault switch
        {
            "CloudFront answers NoSuchDistribution" => FaultInjectingHandler.CloudFront(IsCreateInvalidation, HttpStatusCode.NotFound, "NoSuchDistribution"),
            "the run is interrupted during the site sync" => new InterruptAtFirstInvalidation(interrupt),
            _ => FaultInjectingHandler.Recording(),
        };
        var flow = world.Flow(fault == "smoke test fails" ? SmokeCheckStandIn.Failing() : new SmokeCheckStandIn(), cloudFrontTransport: cloudFront);
        var manifest = await new ArtifactStore(world.S3).ReadManifestAsync(DeployWorld.DevBucket, V2);

        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
            await flow.ReleaseAsync(await world.StageAsync("dev", V2), manifest, ReleaseFlow.DeployKind, cancellationToken: interrupt.Token));

        Assert.Equal(first.Record.LambdaVersion, await world.AliasVersionAsync("dev"));
        Assert.Equal(wwwBefore, await world.SnapshotAsync(www));
        Assert.Equal(FixtureRelease.Page("www", V1), await world.ReadTextAsync(www, "index.html"));
        Assert.Equal(V1, (await world.Ledger("dev").GetCurrentAsync())?.Version);
        var attempt = (await world.Ledger("dev").GetHistoryAsync())[0];
        Assert.Equal((V2, ReleaseOutcome.RolledBack), (attempt.Version, attempt.Outcome));
        if (fault == "the run is interrupted during the site sync")
        {
            Assert.IsAssignableFrom<OperationCanceledException>(error);
            Assert.Equal($"interrupted before {V2} passed its smoke test", attempt.Reason);
        }
        else
        {
            Assert.Equal(error.Message, attempt.Reason);
        }
    }

    [Fact]
    public async Task A_rollback_to_a_smaller_release_puts_its_sites_back()
    {
        await using var world = await DeployWorld.CreateAsync(moto);
        await world.PublishAsync(V1);
        var first = await world.DeployDevAsync(V1, world.Flow(new SmokeCheckStandIn()));
        var www = MotoStageSeed.SiteBucket("dev", "www");
        var wwwOnV1 = await world.SnapshotAsync(www);
        await world.PublishAsync(V2, extraWwwPages: 10);
        await world.DeployDevAsync(V2, world.Flow(new SmokeCheckStandIn()));

        var rollback = await world.Flow(new SmokeCheckStandIn()).RollbackAsync("dev", DeployWorld.DevBucket, null);

        Assert.Equal((V1, ReleaseOutcome.Succeeded), (rollback.Record.Version, rollback.Record.Outcome));
        Assert.Equal(first.Record.LambdaVersion, await world.AliasVersionAsync("dev"));
        Assert.Equal(wwwOnV1.Keys, (await world.SnapshotAsync(www)).Keys);
        Assert.Equal(V1, (await world.Ledger("dev").GetCurrentAsync())?.Version);
    }

    /// <summary>SIGTERM while www's sync waits on CloudFront: cancels the run's token, then lets the request fail as a cancelled one does.</summary>
    private sealed class InterruptAtFirstInvalidation(CancellationTokenSource interrupt) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (IsCreateInvalidation(request) && !interrupt.IsCancellationRequested)
            {
                interrupt.Cancel();
                cancellationToken.ThrowIfCancellationRequested();
            }
            return base.SendAsync(request, cancellationToken);
        }
    }
}
