using System.Diagnostics;
using System.Text.Json;
using Amazon.S3.Model;
using Depoxy.Deploy.Tests.Support;
using Depoxy.Testing;

namespace Depoxy.Deploy.Tests;

[Collection(DeployMotoCollection.Name)]
public sealed class StageLockTests(MotoServer moto) : IAsyncLifetime
{
    private readonly StageSeed _stage = new(moto);

    public Task InitializeAsync() => _stage.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_second_deploy_is_refused_naming_the_lock_holder()
    {
        var first = new StageLock(_stage.S3, StageSeed.Bucket, "dev");
        var second = new StageLock(_stage.S3, StageSeed.Bucket, "dev");
        await using var held = await first.AcquireAsync("Deploy");

        var error = await Assert.ThrowsAsync<StageLockedException>(() => second.AcquireAsync("Deploy"));

        Assert.StartsWith($"refusing to deploy dev: the stage is locked by Deploy by {ReleaseRecord.CurrentActor()} since ", error.Message);
        Assert.Contains($" UTC (pid {Environment.ProcessId} on {Environment.MachineName}); ", error.Message);
        Assert.EndsWith("if that run is dead, ./build.sh BreakLock --stage dev removes the lock once its heartbeat stops", error.Message);
        Assert.Equal(held.Holder.Token, error.Holder?.Token);
    }

    [Fact]
    public async Task Only_one_of_several_simultaneous_acquisitions_wins()
    {
        var attempts = Enumerable.Range(0, 4).Select(_ => Try(new StageLock(_stage.S3, StageSeed.Bucket, "prod"))).ToList();

        var outcomes = await Task.WhenAll(attempts);

        Assert.Equal(1, outcomes.Count(won => won));
    }

    [Fact]
    public async Task The_lock_is_released_when_the_deploy_fails()
    {
        var stageLock = new StageLock(_stage.S3, StageSeed.Bucket, "dev");

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var held = await stageLock.AcquireAsync("Deploy");
            throw new InvalidOperationException("apply failed");
        });

        Assert.Null(await stageLock.GetHolderAsync());
        await using var again = await stageLock.AcquireAsync("Rollback");
        Assert.Equal("Rollback", (await stageLock.GetHolderAsync())?.Operation);
    }

    [Fact]
    public async Task A_lease_does_not_delete_a_lock_someone_else_took_over()
    {
        var stageLock = new StageLock(_stage.S3, StageSeed.Bucket, "dev");
        var stale = await stageLock.AcquireAsync("Deploy");
        await _stage.S3.DeleteObjectAsync(StageSeed.Bucket, stageLock.Key);
        await using var current = await stageLock.AcquireAsync("Promote");

        await stale.ReleaseAsync();

        Assert.Equal(current.Holder.Token, (await stageLock.GetHolderAsync())?.Token);
    }

    [Fact]
    public async Task The_lock_records_the_holders_host_process_heartbeat_and_expiry()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 30, 1, 0, 0, TimeSpan.Zero));
        var stageLock = new StageLock(_stage.S3, StageSeed.Bucket, "dev", clock, Quiet(TimeSpan.FromMinutes(10)));

        await using var held = await stageLock.AcquireAsync("Deploy");
        var holder = await stageLock.GetHolderAsync();

        Assert.Equal((Environment.MachineName, Environment.ProcessId), (holder?.Host, holder?.ProcessId));
        Assert.Equal(clock.Now, holder?.HeartbeatAt);
        Assert.Equal(clock.Now.AddMinutes(10), holder?.ExpiresAt);
    }

    [Fact]
    public async Task Breaking_a_lock_whose_holder_is_alive_is_refused_naming_the_holder_and_the_fix()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 30, 1, 0, 0, TimeSpan.Zero));
        var stageLock = new StageLock(_stage.S3, StageSeed.Bucket, "dev", clock, Quiet(TimeSpan.FromMinutes(10)));
        await using var held = await stageLock.AcquireAsync("Deploy");
        clock.Now = clock.Now.AddMinutes(3);

        var error = await Assert.ThrowsAsync<StageLockedException>(() => stageLock.BreakAsync());

        Assert.Equal(
            $"refusing to break the dev lock: its holder, Deploy by {ReleaseRecord.CurrentActor()} since 2026-11-30 01:00:00 UTC " +
            $"(pid {Environment.ProcessId} on {Environment.MachineName}), is alive (last heartbeat 180 s ago, expires 2026-11-30 01:10:00 UTC); " +
            "let that run finish or stop it, and break the lock after its expiry if it does not release it", error.Message);
        Assert.Equal(held.Holder.Token, (await stageLock.GetHolderAsync())?.Token);
    }

    [Fact]
    public async Task Breaking_a_lock_whose_expiry_passed_removes_it_so_the_next_deploy_can_lock()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 30, 1, 0, 0, TimeSpan.Zero));
        var stageLock = new StageLock(_stage.S3, StageSeed.Bucket, "dev", clock, Quiet(TimeSpan.FromMinutes(10)));
        var dead = await stageLock.AcquireAsync("Deploy");
        clock.Now = clock.Now.AddMinutes(11);

        var broken = await stageLock.BreakAsync();

        Assert.Equal(dead.Holder.Token, broken?.Token);
        Assert.Null(await stageLock.GetHolderAsync());
        await using var next = await stageLock.AcquireAsync("Deploy");
        Assert.Equal(next.Holder.Token, (await stageLock.GetHolderAsync())?.Token);
    }

    [Fact]
    public async Task Breaking_the_lock_of_a_process_gone_from_this_host_works_before_its_expiry()
    {
        using var exited = Process.Start("true")!;
        await exited.WaitForExitAsync();
        var now = DateTimeOffset.UtcNow;
        var orphan = new StageLockHolder("someone", now, "Deploy", null, "orphan-token")
        {
            Host = Environment.MachineName,
            ProcessId = exited.Id,
            HeartbeatAt = now,
            ExpiresAt = now.AddMinutes(10),
        };
        var stageLock = new StageLock(_stage.S3, StageSeed.Bucket, "dev");
        await _stage.S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = StageSeed.Bucket,
            Key = stageLock.Key,
            ContentBody = JsonSerializer.Serialize(orphan, new JsonSerializerOptions(JsonSerializerDefaults.Web)),
        });

        var broken = await stageLock.BreakAsync();

        Assert.Equal("orphan-token", broken?.Token);
        Assert.Null(await stageLock.GetHolderAsync());
    }

    [Fact]
    public async Task The_heartbeat_moves_the_expiry_on_while_the_run_lives_and_stops_on_release()
    {
        var stageLock = new StageLock(_stage.S3, StageSeed.Bucket, "dev",
            options: new StageLockOptions { TimeToLive = TimeSpan.FromSeconds(3), HeartbeatInterval = TimeSpan.FromMilliseconds(200) });
        var held = await stageLock.AcquireAsync("Deploy");

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var renewed = await stageLock.GetHolderAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.True(renewed?.HeartbeatAt > held.Holder.Since.AddMilliseconds(500), $"heartbeat at {renewed?.HeartbeatAt}, acquired {held.Holder.Since}");
        await Assert.ThrowsAsync<StageLockedException>(() => stageLock.BreakAsync());
        await held.ReleaseAsync();
        Assert.Null(await stageLock.GetHolderAsync());
    }

    [Fact]
    public async Task Breaking_an_unlocked_stage_changes_nothing()
    {
        Assert.Null(await new StageLock(_stage.S3, StageSeed.Bucket, "dev").BreakAsync());
    }

    /// <summary>A heartbeat slower than any test, so the manual clock alone decides expiry.</summary>
    private static StageLockOptions Quiet(TimeSpan timeToLive) => new() { TimeToLive = timeToLive, HeartbeatInterval = TimeSpan.FromHours(1) };

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static async Task<bool> Try(StageLock stageLock)
    {
        try
        {
            await stageLock.AcquireAsync("Deploy");
            return true;
        }
        catch (StageLockedException)
        {
            return false;
        }
    }
}
