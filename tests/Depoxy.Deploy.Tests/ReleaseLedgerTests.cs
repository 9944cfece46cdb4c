using Depoxy.Deploy.Tests.Support;
using Depoxy.Testing;

namespace Depoxy.Deploy.Tests;

[Collection(DeployMotoCollection.Name)]
public sealed class ReleaseLedgerTests(MotoServer moto) : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly StageSeed _stage = new(moto);

    public Task InitializeAsync() => _stage.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Attempts_go_to_history_and_successes_become_current()
    {
        var ledger = new ReleaseLedger(_stage.S3, StageSeed.Bucket, "dev");
        await ledger.RecordAsync(Record("1.0.0", "1", ReleaseOutcome.Succeeded, 0));
        await ledger.RecordAsync(Record("1.1.0", "2", ReleaseOutcome.Succeeded, 1));
        var failedKey = await ledger.RecordAsync(Record("1.2.0", "3", ReleaseOutcome.Failed, 2) with { Reason = "apply failed" });

        var current = await ledger.GetCurrentAsync();
        var history = await ledger.GetHistoryAsync();
        var previous = await ledger.GetPreviousSuccessfulAsync();

        Assert.Equal("releases/dev/history/20261102T110000000Z-1.2.0.json", failedKey);
        Assert.Equal("1.1.0", current?.Version);
        Assert.Equal(["1.2.0", "1.1.0", "1.0.0"], history.Select(r => r.Version));
        Assert.Equal("1.0.0", previous?.Version);
        Assert.Equal("1", previous?.LambdaVersion);
        Assert.Equal("1.1.0", (await ledger.FindSuccessfulAsync("1.1.0"))?.Version);
        Assert.Null(await ledger.FindSuccessfulAsync("1.2.0"));
    }

    [Fact]
    public async Task After_a_rollback_the_previous_release_is_older_than_the_one_rolled_back_to()
    {
        var ledger = new ReleaseLedger(_stage.S3, StageSeed.Bucket, "dev");
        await ledger.RecordAsync(Record("1.0.0", "1", ReleaseOutcome.Succeeded, 0));
        await ledger.RecordAsync(Record("1.1.0", "2", ReleaseOutcome.Succeeded, 1));
        await ledger.RecordAsync(Record("1.2.0", "3", ReleaseOutcome.Succeeded, 2));
        await ledger.RecordAsync(Record("1.1.0", "2", ReleaseOutcome.Succeeded, 3) with { Kind = ReleaseLedger.RollbackKind });

        var previous = await ledger.GetPreviousSuccessfulAsync();

        Assert.Equal("1.1.0", (await ledger.GetCurrentAsync())?.Version);
        Assert.Equal(("1.0.0", "1"), (previous?.Version, previous?.LambdaVersion));
    }

    [Fact]
    public async Task A_record_keeps_every_field()
    {
        var ledger = new ReleaseLedger(_stage.S3, StageSeed.Bucket, "prod");
        var record = Record("2.0.0", "7", ReleaseOutcome.Succeeded, 0, "prod") with
        {
            Kind = "Promote",
            Commit = "0123456789abcdef",
            Hashes = new Dictionary<string, string> { ["api.zip"] = "aa", ["www.zip"] = "bb" },
            RunUrl = "https://github.com/o/r/actions/runs/1",
            Reason = "promoted from dev",
        };

        await ledger.RecordAsync(record);
        var read = await ledger.GetCurrentAsync();

        Assert.NotNull(read);
        Assert.Equal(record with { Hashes = read.Hashes }, read);
        Assert.Equal(record.Hashes, read.Hashes);
    }

    [Fact]
    public async Task An_empty_ledger_has_no_current_or_previous_release()
    {
        var ledger = new ReleaseLedger(_stage.S3, StageSeed.Bucket, "dev");

        Assert.Null(await ledger.GetCurrentAsync());
        Assert.Empty(await ledger.GetHistoryAsync());
        Assert.Null(await ledger.GetPreviousSuccessfulAsync());
    }

    [Fact]
    public void The_table_shows_each_attempt_and_its_outcome()
    {
        var records = new[]
        {
            Record("1.1.0", "2", ReleaseOutcome.RolledBack, 1) with { Reason = "smoke test failed", Commit = "abcdef0123456789" },
            Record("1.0.0", "1", ReleaseOutcome.Succeeded, 0),
        };

        var text = ReleasesTable.ToPlainText(records).Split(Environment.NewLine);
        var markdown = ReleasesTable.ToMarkdown(records);

        Assert.Equal(4, text.Length);
        Assert.StartsWith("When (UTC)", text[0]);
        Assert.Matches(@"^2026-11-02 10:00:00\s+Deploy\s+1\.1\.0\s+2\s+RolledBack\s+tester\s+abcdef01\s+-\s+smoke test failed$", text[2]);
        Assert.Matches(@"^2026-11-02 09:00:00\s+Deploy\s+1\.0\.0\s+1\s+Succeeded", text[3]);
        Assert.Contains("| 2026-11-02 10:00:00 | Deploy | 1.1.0 | 2 | RolledBack | tester | abcdef01 | - | smoke test failed |", markdown);
        Assert.Equal(ReleasesTable.Columns.Length, ReleasesTable.Build(records).Columns.Count);
        Assert.Equal(2, ReleasesTable.Build(records).Rows.Count);
    }

    [Fact]
    public async Task Refused_and_failed_attempts_are_in_the_history_but_never_become_current()
    {
        var ledger = new ReleaseLedger(_stage.S3, StageSeed.Bucket, "dev");
        await ledger.RecordAsync(Record("1.0.0", "1", ReleaseOutcome.Succeeded, 0));

        await ledger.RecordRefusedAsync("1.1.0", "Deploy", "module lambda changed but its version 0.1.0 is already published: bump modules/lambda/VERSION", "abc123");
        await ledger.RecordFailedAsync("1.2.0", "Rollback", "CloudFront distribution E123 of dev/www does not exist", lambdaVersion: "4");

        var history = await ledger.GetHistoryAsync();
        Assert.Equal([("1.2.0", ReleaseOutcome.Failed, "Rollback"), ("1.1.0", ReleaseOutcome.Refused, "Deploy"), ("1.0.0", ReleaseOutcome.Succeeded, "Deploy")],
            history.Select(r => (r.Version, r.Outcome, r.Kind)));
        Assert.Equal("module lambda changed but its version 0.1.0 is already published: bump modules/lambda/VERSION", history[1].Reason);
        Assert.Equal(("abc123", ReleaseRecord.CurrentActor()), (history[1].Commit, history[1].Who));
        Assert.Equal("4", history[0].LambdaVersion);
        Assert.Equal("1.0.0", (await ledger.GetCurrentAsync())?.Version);
        Assert.Matches(@"\s1\.1\.0\s+-\s+Refused\s", ReleasesTable.ToPlainText(history));
    }

    [Fact]
    public async Task Rollback_never_picks_a_dirty_release_as_the_previous_good_one()
    {
        var ledger = new ReleaseLedger(_stage.S3, StageSeed.Bucket, "dev");
        await ledger.RecordAsync(Record("20261101.090000-gaaaaaaa", "1", ReleaseOutcome.Succeeded, 0));
        await ledger.RecordAsync(Record("20261101.100000-gbbbbbbb-dirty.20261101100500", "2", ReleaseOutcome.Succeeded, 1));
        await ledger.RecordAsync(Record("20261101.110000-gccccccc", "3", ReleaseOutcome.Succeeded, 2));

        var previous = await ledger.GetPreviousSuccessfulAsync();

        Assert.Equal(("20261101.090000-gaaaaaaa", "1"), (previous?.Version, previous?.LambdaVersion));
    }

    [Fact]
    public async Task Only_dirty_releases_before_the_current_one_leave_nothing_to_roll_back_to()
    {
        var ledger = new ReleaseLedger(_stage.S3, StageSeed.Bucket, "dev");
        await ledger.RecordAsync(Record("20261101.100000-gbbbbbbb-dirty.20261101100500", "1", ReleaseOutcome.Succeeded, 0));
        await ledger.RecordAsync(Record("20261101.110000-gccccccc", "2", ReleaseOutcome.Succeeded, 1));

        Assert.Null(await ledger.GetPreviousSuccessfulAsync());
    }

    [Fact]
    public async Task A_record_for_another_stage_is_refused()
    {
        var ledger = new ReleaseLedger(_stage.S3, StageSeed.Bucket, "dev");

        await Assert.ThrowsAsync<ArgumentException>(() => ledger.RecordAsync(Record("1.0.0", "1", ReleaseOutcome.Succeeded, 0, "prod")));
    }

    private static ReleaseRecord Record(string version, string lambdaVersion, ReleaseOutcome outcome, int hoursLater, string stage = "dev") => new()
    {
        Stage = stage,
        Version = version,
        LambdaVersion = lambdaVersion,
        Outcome = outcome,
        Who = "tester",
        When = Start.AddHours(hoursLater),
    };
}
