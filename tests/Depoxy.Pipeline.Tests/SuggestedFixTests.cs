using Depoxy.Deploy;
using Depoxy.Packaging;
using Depoxy.Pipeline.Tests.Support;
using Depoxy.Testing;

namespace Depoxy.Pipeline.Tests;

/// <summary>The fix a refusal names is run as told, and the next run succeeds.</summary>
[Collection(PipelineMotoCollection.Name)]
public sealed class SuggestedFixTests(MotoServer moto)
{
    private const string V1 = "20260101.100000-gaaaaaaa";
    private const string V2 = "20260102.100000-gbbbbbbb";

    [Fact]
    public async Task A_missing_hash_file_is_put_back_by_publishing_the_release_again_and_the_next_deploy_succeeds()
    {
        await using var world = await DeployWorld.CreateAsync(moto);
        await world.PublishAsync(V1);
        await world.DeployDevAsync(V1, world.Flow(new SmokeCheckStandIn()));
        var release = await world.PublishAsync(V2);
        await world.S3.DeleteObjectAsync(DeployWorld.DevBucket, release.Api.Key + ".base64sha256");
        var checkout = Directory.CreateTempSubdirectory("depoxy-republish-").FullName;
        try
        {
            var refused = await Assert.ThrowsAsync<HashMismatchException>(() => world.DeployDevAsync(V2, world.Flow(new SmokeCheckStandIn())));
            Assert.EndsWith("Terraform reads the code hash from it: publish the release again from its commit (./build.sh Publish --stage dev), which uploads only what is missing",
                refused.Message);

            // ./build.sh Publish --stage dev at the release's commit: Package rebuilds the same bytes into artifacts/, Publish uploads.
            CopyFolder(release.Directory, Path.Combine(checkout, "artifacts"));
            var report = await PackagingFlow.PublishAsync(checkout, DeployWorld.DevBucket, world.Aws);
            var next = await world.DeployDevAsync(V2, world.Flow(new SmokeCheckStandIn()));

            Assert.NotNull(report);
            Assert.Equal(new FileInfo(Path.Combine(release.Directory, "api.zip.base64sha256")).Length, report.BytesUploaded);
            Assert.Equal(ReleaseOutcome.Succeeded, next.Record.Outcome);
            Assert.Equal(V2, (await world.Ledger("dev").GetCurrentAsync())?.Version);
        }
        finally
        {
            Directory.Delete(checkout, recursive: true);
        }
    }

    [Fact]
    public async Task A_lock_left_by_a_dead_run_is_broken_by_the_command_the_refusal_names_and_the_next_deploy_locks()
    {
        await using var world = await DeployWorld.CreateAsync(moto);
        // A run that died holding the lock: no heartbeat renews it, and its time to live has passed.
        var deadRun = new StageLock(world.S3, DeployWorld.DevBucket, "dev", options: new StageLockOptions
        {
            TimeToLive = TimeSpan.FromSeconds(1),
            HeartbeatInterval = TimeSpan.FromHours(1),
        });
        await using var dead = await deadRun.AcquireAsync("Deploy");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var stageLock = new StageLock(world.S3, DeployWorld.DevBucket, "dev");

        var refused = await Assert.ThrowsAsync<StageLockedException>(() => stageLock.AcquireAsync("Deploy"));
        Assert.EndsWith("if that run is dead, ./build.sh BreakLock --stage dev removes the lock once its heartbeat stops", refused.Message);
        // ./build.sh BreakLock --stage dev: the account guard, then this break (build/Tooling/Pipeline.cs BreakLockAsync).
        var broken = await new StageLock(world.S3, DeployWorld.DevBucket, "dev").BreakAsync();
        await using var next = await stageLock.AcquireAsync("Deploy");

        Assert.Equal(dead.Holder.Token, broken?.Token);
        Assert.Equal(next.Holder.Token, (await stageLock.GetHolderAsync())?.Token);
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
