using Depoxy.Deploy.Flows;
using Depoxy.Deploy.Tests.Support;
using Depoxy.Testing;

namespace Depoxy.Deploy.Tests;

[Collection(DeployMotoCollection.Name)]
public sealed class StoppedAttemptTests(MotoServer moto) : IAsyncLifetime
{
    private readonly StageSeed _stage = new(moto);

    public Task InitializeAsync() => _stage.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_deploy_a_check_stopped_before_the_release_is_recorded_as_refused_and_current_stays()
    {
        var ledger = new ReleaseLedger(_stage.S3, StageSeed.Bucket, "dev");
        var before = await ledger.GetCurrentAsync();

        var key = await StoppedAttempt.RecordAsync(ledger, "Deploy", "PublishModules", "module lambda changed: bump modules/lambda/VERSION", "1.2.0");

        var attempt = Assert.Single(await ledger.GetHistoryAsync());
        Assert.NotNull(key);
        Assert.Equal(("Deploy", "1.2.0", ReleaseOutcome.Refused), (attempt.Kind, attempt.Version, attempt.Outcome));
        Assert.Equal("PublishModules stopped: module lambda changed: bump modules/lambda/VERSION; the stage did not change", attempt.Reason);
        Assert.Equal(before, await ledger.GetCurrentAsync());
    }

    [Fact]
    public async Task An_apply_job_stopped_in_apply_is_recorded_as_a_failed_promote_that_may_have_changed_the_stage()
    {
        var ledger = new ReleaseLedger(_stage.S3, StageSeed.Bucket, "prod");

        await StoppedAttempt.RecordAsync(ledger, "ApplyPromote", "Apply", "interrupted by SIGINT", "1.2.0");

        var attempt = Assert.Single(await ledger.GetHistoryAsync());
        Assert.Equal(("Promote", ReleaseOutcome.Failed), (attempt.Kind, attempt.Outcome));
        Assert.Equal("Apply stopped: interrupted by SIGINT; the stage's infrastructure may be partly applied: run ApplyPromote again", attempt.Reason);
        Assert.Null(await ledger.GetCurrentAsync());
    }

    [Theory]
    [InlineData("Deploy")]
    [InlineData("Rollback")]
    public async Task A_stop_in_the_release_step_is_left_to_the_release_flow_which_records_it(string step)
    {
        var ledger = new ReleaseLedger(_stage.S3, StageSeed.Bucket, "dev");

        Assert.Null(await StoppedAttempt.RecordAsync(ledger, step, step, "smoke test failed", "1.2.0"));
        Assert.Empty(await ledger.GetHistoryAsync());
    }

    [Fact]
    public async Task An_attempt_refused_before_it_packaged_anything_is_recorded_without_a_version()
    {
        var ledger = new ReleaseLedger(_stage.S3, StageSeed.Bucket, "dev");

        await StoppedAttempt.RecordAsync(ledger, "Deploy", "Package", "the working tree has uncommitted changes", null);

        Assert.Equal("(not packaged)", Assert.Single(await ledger.GetHistoryAsync()).Version);
    }
}
