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
        Assert.Contains("delete s3://depoxy-dev-artifacts/releases/dev/lock.json", error.Message);
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
