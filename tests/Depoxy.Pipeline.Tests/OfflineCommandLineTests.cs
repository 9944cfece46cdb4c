using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Depoxy.Aws;
using Depoxy.Emulator;
using Depoxy.Pipeline.Tests.Support;
using Depoxy.Testing;
using Depoxy.Testing.Iam;
using Xunit.Abstractions;

namespace Depoxy.Pipeline.Tests;

/// <summary>
/// The offline path as a new user runs it, on a fresh clone (committed files only), in steps that each report: Deploy,
/// the same Deploy again as deploy-dev's two jobs (a no-op), Promote, Rollback, the promote jobs, drift, an interrupt,
/// a pull request's plan and a refused Deploy, each through the real build with --emulator, where Plan and Apply run
/// the real Terraform against moto (the account bootstrapped with tf/ci first, modules installed from the emulator's
/// modules bucket). Every run records the AWS calls the build's own clients make, and the last step simulates each
/// against the CI role that runs that step in the workflows, with the policies tf/ci gave the emulator's IAM.
/// </summary>
[Trait("Tier", "terraform")]
[Trait("Tier", "native")]
[TestCaseOrderer(StepOrderer.TypeName, StepOrderer.AssemblyName)]
public sealed partial class OfflineCommandLineTests(OfflineRun run, ITestOutputHelper output) : IClassFixture<OfflineRun>
{
    private BuildCli Cli => run.Cli;
    private RecordedFlows Recorded => run.Recorded;
    private string Version => run.Version;

    private Task StepAsync(string step, Func<Task> body) => run.Steps.RunAsync(step, output, body);

    [Fact, Step(1)]
    public Task A_fresh_clone_deploys_dev_bootstrapping_the_emulator() => StepAsync("Deploy dev", async () =>
    {
        var first = await Cli.RunAsync(["Deploy", "--stage", "dev", "--emulator", .. Recorded.Record("Deploy dev", ApplyRole("dev"))]);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("Emulator: tf/ci applied", first.Output);
        AssertPlannedAndApplied(first, "dev");
        run.PublishedBytes = Published(first);
        Assert.True(run.PublishedBytes > 0 && SiteBytes(first, "Deploy", Version, "dev") > 0, first.ToString());
        Assert.Contains($"reports version {Version}", first.Output);
        Assert.Matches($@"Deploy {Regex.Escape(Version)} → dev: [\d,]+ site bytes uploaded, Lambda version 1\b", first.Output);
    });

    /// <summary>
    /// Again as deploy-dev's two jobs run it: the plan job, under main's read-only role, reuses the published release
    /// and plans no change; the apply job applies nothing, publishes no Lambda version and records the run as unchanged.
    /// </summary>
    [Fact, Step(2)]
    public Task The_same_commit_deployed_again_by_the_plan_and_apply_jobs_changes_nothing() => StepAsync("Deploy dev again (no-op)", async () =>
    {
        var planJob = await Cli.RunAsync(["PlanDeploy", "--stage", "dev", "--emulator", .. Recorded.Record("Deploy dev again: plan job", MainRole("dev"))]);
        Assert.True(planJob.ExitCode == 0, planJob.ToString());
        Assert.Contains("building nothing", planJob.Output);
        foreach (var stack in Stacks)
            Assert.Contains($"dev/{stack}: 0 to create, 0 to update, 0 to replace, 0 to delete (plan sha256", planJob.Output);
        var second = await Cli.RunAsync(["ApplyDeploy", "--stage", "dev", "--emulator", .. Recorded.Record("Deploy dev again: apply job", ApplyRole("dev"))]);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Matches(@"(?m)^\s+Apply\s+Succeeded", second.Output);
        Assert.DoesNotMatch(@"(?m)^\s+Plan\s+Succeeded", second.Output);
        foreach (var stack in Stacks)
            Assert.Contains($"dev/{stack}: no changes, nothing to apply", second.Output);
        Assert.DoesNotContain("> terraform apply", second.Output);
        Assert.Contains($"Release {Version} is already published: 0 artifact bytes uploaded", second.Output);
        Assert.Equal(0, SiteBytes(second, "Deploy", Version, "dev"));
        Assert.Contains($"dev runs {Version} unchanged: no Terraform change, alias live stays on Lambda version 1, no site file changed", second.Output);
    });

    [Fact, Step(3)]
    public Task Promote_ships_the_same_bytes_to_prod() => StepAsync("Promote dev → prod", async () =>
    {
        var promote = await Cli.RunAsync(["Promote", "--from", "dev", "--to", "prod", "--emulator", .. Recorded.Record("Promote dev → prod", ApplyRole("prod"))]);
        Assert.True(promote.ExitCode == 0, promote.ToString());
        AssertPlannedAndApplied(promote, "prod");
        Assert.Matches($@"Copied release {Regex.Escape(Version)} from s3://\S+ to s3://\S+", promote.Output);
        var promoted = Regex.Match(promote.Output, $@"Promoting {Regex.Escape(Version)} from dev to prod: ([\d,]+) artifact bytes uploaded");
        Assert.True(promoted.Success, promote.ToString());
        Assert.Equal(run.PublishedBytes, long.Parse(promoted.Groups[1].Value.Replace(",", "")));
    });

    [Fact, Step(4)]
    public Task A_rollback_with_no_earlier_release_is_refused_and_the_ledger_lists_the_promotion() => StepAsync("Rollback prod, refused", async () =>
    {
        var rollback = await Cli.RunAsync(["Rollback", "--stage", "prod", "--emulator", .. Recorded.Record("Rollback prod, refused", ApplyRole("prod"))]);
        Assert.True(rollback.ExitCode != 0, rollback.ToString());
        Assert.Contains("prod has no earlier successful release to roll back to: see ./build.sh Releases --stage prod", rollback.Output);

        var releases = await Cli.RunAsync("Releases", "--stage", "prod", "--emulator");
        Assert.True(releases.ExitCode == 0, releases.ToString());
        var row = Assert.Single(LedgerRow().Matches(releases.Output).Select(m => m.Value));
        Assert.Matches($@"\sPromote\s+{Regex.Escape(Version)}\s+1\s+Succeeded\s", row);
    });

    /// <summary>A rollback to a named release: the alias, the sites, the smoke test and the ledger, without Terraform.</summary>
    [Fact, Step(5)]
    public Task A_rollback_to_a_named_release_needs_no_Terraform() => StepAsync("Rollback prod --version", async () =>
    {
        var rollbackTo = await Cli.RunAsync(["Rollback", "--stage", "prod", "--version", Version, "--emulator", .. Recorded.Record("Rollback prod", ApplyRole("prod"))]);
        Assert.True(rollbackTo.ExitCode == 0, rollbackTo.ToString());
        Assert.Contains($"Rollback → prod: {Version} on Lambda version 1", rollbackTo.Output);
        Assert.DoesNotContain("> terraform", rollbackTo.Output);
    });

    /// <summary>
    /// The two-job promote of the workflow: the apply job applies the plan job's sealed plans, and refuses them once a
    /// stack's state moved in between (here: another run wrote prod/api's state).
    /// </summary>
    [Fact, Step(6)]
    public Task The_promote_apply_job_refuses_a_moved_state_and_applies_a_fresh_plan() => StepAsync("Promote jobs", async () =>
    {
        var planJob = await Cli.RunAsync(["PlanPromote", "--from", "dev", "--to", "prod", "--emulator", .. Recorded.Record("Promote plan job", MainRole("prod"))]);
        Assert.True(planJob.ExitCode == 0, planJob.ToString());
        Assert.Matches(@"(?m)^\s+Plan\s+Succeeded", planJob.Output);
        var serial = await BumpStateSerialAsync("prod/api/terraform.tfstate");
        var refused = await Cli.RunAsync(["ApplyPromote", "--from", "dev", "--to", "prod", "--emulator", .. Recorded.Record("Promote apply job, refused", ApplyRole("prod"))]);
        Assert.True(refused.ExitCode != 0, refused.ToString());
        Assert.Contains($"serial moved from {serial} to {serial + 1}", refused.Output);
        Assert.Contains("Re-run the plan job for prod/api", refused.Output);

        var again = await Cli.RunAsync(["PlanPromote", "--from", "dev", "--to", "prod", "--emulator", .. Recorded.Record("Promote plan job", MainRole("prod"))]);
        Assert.True(again.ExitCode == 0, again.ToString());
        var applyJob = await Cli.RunAsync(["ApplyPromote", "--from", "dev", "--to", "prod", "--emulator", .. Recorded.Record("Promote apply job", ApplyRole("prod"))]);
        Assert.True(applyJob.ExitCode == 0, applyJob.ToString());
        Assert.Matches(@"(?m)^\s+Apply\s+Succeeded", applyJob.Output);
        Assert.DoesNotMatch(@"(?m)^\s+Plan\s+Succeeded", applyJob.Output);
        Assert.Contains($"Promote {Version} → prod:", applyJob.Output);
    });

    /// <summary>The weekly drift plan of a stack, as drift.yml runs it on main: lock-free, against what prod runs, and with nothing to report.</summary>
    [Fact, Step(7)]
    public Task The_drift_plan_of_prod_finds_nothing() => StepAsync("Drift plan prod/api", async () =>
    {
        var drift = await Cli.RunAsync(["Plan", "--stage", "prod", "--stack", "api", "--emulator", .. Recorded.Record("Drift plan prod/api", MainRole("prod"))]);
        Assert.True(drift.ExitCode == 0, drift.ToString());
        Assert.Contains($"prod: plan of release {Version}", drift.Output);
        Assert.Contains("prod/api: 0 to create, 0 to update, 0 to replace, 0 to delete (plan sha256", drift.Output);
    });

    /// <summary>
    /// dev's function changed behind Terraform's back, so the next Deploy applies; Ctrl+C while terraform applies stops
    /// the run with 130, Unlock still runs, and nothing it started is left.
    /// </summary>
    [Fact, Step(8)]
    public Task Ctrl_C_while_a_Deploy_corrects_drift_exits_130_and_leaves_no_lock() => StepAsync("Deploy dev, interrupted", async () =>
    {
        var server = await run.EmulatorAsync();
        using (var lambda = SignedHttpClient.Create(server.Aws, "lambda", server.Endpoint))
        using (var changed = await lambda.PutAsJsonAsync("/2015-03-31/functions/depoxy-dev-api-function/configuration", new JsonObject { ["MemorySize"] = 512 }))
            changed.EnsureSuccessStatusCode();

        var interrupted = await Cli.RunInterruptedAsync("> terraform apply",
            ["Deploy", "--stage", "dev", "--emulator", .. Recorded.Record("Deploy dev, interrupted", ApplyRole("dev"))]);
        Assert.True(interrupted.ExitCode == 130, interrupted.ToString());
        Assert.Contains("dev/api: 0 to create, 1 to update, 0 to replace, 0 to delete", interrupted.Output);
        Assert.Matches(@"(?m)^\s+Unlock\s+Succeeded", interrupted.Output);
        Assert.False(await HoldsObjectAsync(EmulatedAccount.Parameter("ArtifactsBucket", "dev"), "releases/dev/lock.json"), "the interrupted run left dev's lock");
        Assert.Empty(ProcessesMentioning(run.Clone));
    });

    /// <summary>A pull request's plan at a commit whose version was never published plans against what dev runs.</summary>
    [Fact, Step(9)]
    public Task A_pull_requests_plan_at_an_unpublished_commit_plans_against_what_dev_runs() => StepAsync("Pull-request plan dev/api", async () =>
    {
        await OfflineRun.GitAsync(run.Clone, "-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "--quiet", "--allow-empty", "-m", "a pull request");
        var pullRequest = await Cli.RunAsync(["Plan", "--stage", "dev", "--stack", "api", "--emulator", .. Recorded.Record("Pull-request plan dev/api", PlanRole("dev"))]);
        Assert.True(pullRequest.ExitCode == 0, pullRequest.ToString());
        Assert.Contains($"dev: plan of release {Version}", pullRequest.Output);
        Assert.Matches(@"dev/api: 0 to create, \d+ to update, 0 to replace, 0 to delete", pullRequest.Output);
    });

    /// <summary>
    /// --version of a release another commit built is refused before anything is written. The ledger lists that
    /// refusal and the interrupted Deploy, which stopped in Apply, beside the two that succeeded, one of them unchanged.
    /// </summary>
    [Fact, Step(10)]
    public Task A_Deploy_of_another_commits_version_is_refused_and_the_ledger_lists_every_attempt() => StepAsync("Deploy --version of another commit", async () =>
    {
        var otherCommit = await Cli.RunAsync(["Deploy", "--stage", "dev", "--version", Version, "--emulator",
            .. Recorded.Record("Deploy dev --version of another commit, refused", ApplyRole("dev"))]);
        Assert.True(otherCommit.ExitCode != 0, otherCommit.ToString());
        Assert.Contains($"release {Version} in s3://{EmulatedAccount.Parameter("ArtifactsBucket", "dev")} was built from commit {run.Commit}", otherCommit.Output);
        var devReleases = await Cli.RunAsync("Releases", "--stage", "dev", "--emulator");
        Assert.Equal(2, Regex.Matches(devReleases.Output, $@"(?m)\sDeploy\s+{Regex.Escape(Version)}\s+1\s+Succeeded\s").Count);
        Assert.Single(Regex.Matches(devReleases.Output, $@"(?m)\sDeploy\s+{Regex.Escape(Version)}\s+1\s+Succeeded \(unchanged\)\s"));
        Assert.Matches($@"(?m)\sDeploy\s+{Regex.Escape(Version)}\s+-\s+Failed\s.*Apply stopped: interrupted by SIGINT", devReleases.Output);
        Assert.Matches($@"(?m)\sDeploy\s+{Regex.Escape(Version)}\s+-\s+Refused\s.*Package stopped: release {Regex.Escape(Version)} .* was built from commit", devReleases.Output);
    });

    [Fact, Step(11)]
    public Task Every_recorded_call_is_allowed_for_the_role_that_makes_it() => StepAsync("Least privilege of the recorded calls", AssertEveryRecordedCallIsAllowedAsync);

    [Fact, Step(12)]
    public Task EmulatorStop_stops_the_emulator() => StepAsync("EmulatorStop", async () =>
    {
        var stop = await run.StopEmulatorAsync();
        Assert.True(stop is { ExitCode: 0 } && stop.Output.Contains("Emulator stopped"), stop?.ToString() ?? "the emulator was not running");
        Assert.False(File.Exists(EmulatorServer.StateFile(run.Clone)), "EmulatorStop left .nuke/temp/emulator.json behind");
    });

    private static readonly string[] Stacks = ["api", "www", "app"];

    private static string ApplyRole(string stage) => $"github-depoxy-{stage}-apply";

    private static string PlanRole(string stage) => $"github-depoxy-{stage}-plan";

    /// <summary>Jobs on main outside an environment (drift, the plan jobs of deploy-dev and promote-prod) assume the drift role.</summary>
    private static string MainRole(string stage) => $"github-depoxy-{stage}-drift";

    /// <summary>
    /// The recorded calls, tagged as AWS tags them with the resource's tags, simulated as the role of each step against
    /// the roles tf/ci created in the emulator. Replayed in order, the stage locks are all taken and given back.
    /// </summary>
    private async Task AssertEveryRecordedCallIsAllowedAsync()
    {
        var recorded = Recorded;
        var server = await run.EmulatorAsync();
        var policies = await new CiPolicyReader(server.Aws, server.Endpoint).ReadAsync();
        var calls = await new ResourceTags(server.Aws).AddToAsync(recorded.Calls());
        var report = await CallSimulation.SimulateAsync(policies, calls);
        foreach (var line in report.Summary()) output.WriteLine(line);
        foreach (var flow in calls.GroupBy(c => c.Flow)) output.WriteLine($"{flow.Key}: {flow.Count()} calls recorded");

        // Terraform's own calls are simulated from TerraformCalls (Depoxy.Iam.Tests), with the resources they name; its
        // request logs prove that list misses no operation terraform made here, under the role that made it.
        var listed = TerraformCalls.All.Select(c => (c.Role, c.Service, c.Operation)).ToHashSet();
        var terraform = recorded.TerraformOperations();
        var unlisted = terraform.Where(o => !listed.Contains(o) && NeedsPermission(o.Service, o.Operation)).Order().ToList();
        output.WriteLine($"terraform: {terraform.Count} distinct (role, operation) pairs logged, {terraform.Count - unlisted.Count} of them simulated by TerraformCalls or needing no permission");
        Assert.True(terraform.Count > 0, "no terraform run logged a request: --record-aws-calls no longer reaches terraform");
        Assert.True(report.Refused.Count + unlisted.Count == 0,
            $"{report.Refused.Count} calls the pipeline made are not allowed:{Environment.NewLine}{string.Join(Environment.NewLine, report.Refused)}{Environment.NewLine}" +
            $"terraform made {unlisted.Count} calls TerraformCalls does not simulate:{Environment.NewLine}{string.Join(Environment.NewLine, unlisted)}");

        var locks = LockReplay.Problems(calls.Where(c => c.Resource.EndsWith("/lock.json", StringComparison.Ordinal)));
        Assert.True(locks.Count == 0, $"the stage locks, replayed:{Environment.NewLine}{string.Join(Environment.NewLine, locks)}");
    }

    private static bool NeedsPermission(string service, string operation) =>
        OperationActions.For(new PipelineCall("", "", service, operation, "*", new Dictionary<string, string>())).Count > 0;

    /// <summary>Plan and Apply ran (not Skipped) and each stack's plan printed its create/update/replace/delete summary.</summary>
    private static void AssertPlannedAndApplied(CliRun run, string stage)
    {
        AssertPlanned(run, stage);
        Assert.Matches(@"(?m)^\s+Apply\s+Succeeded", run.Output);
    }

    private static void AssertPlanned(CliRun run, string stage)
    {
        Assert.Matches(@"(?m)^\s+Plan\s+Succeeded", run.Output);
        foreach (var stack in Stacks)
            Assert.Matches($@"{stage}/{stack}: \d+ to create, \d+ to update, \d+ to replace, \d+ to delete", run.Output);
    }

    private static long Published(CliRun run)
    {
        var match = Regex.Match(run.Output, @"Published ([\d,]+) artifact bytes to s3://");
        Assert.True(match.Success, $"no 'Published … artifact bytes' line in {run}");
        return long.Parse(match.Groups[1].Value.Replace(",", ""));
    }

    private static long SiteBytes(CliRun run, string kind, string version, string stage)
    {
        var match = Regex.Match(run.Output, $@"{kind} {Regex.Escape(version)} → {stage}: ([\d,]+) site bytes uploaded");
        Assert.True(match.Success, $"no '{kind} {version} → {stage}: … site bytes uploaded' line in {run}");
        return long.Parse(match.Groups[1].Value.Replace(",", ""));
    }

    private async Task<bool> HoldsObjectAsync(string bucket, string key)
    {
        var server = await run.EmulatorAsync();
        using var s3 = S3ClientFactory.Create(server.Aws);
        try
        {
            await s3.GetObjectMetadataAsync(bucket, key);
            return true;
        }
        catch (Amazon.S3.AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Processes whose command line names the clone (terraform's plan files, the API host): none may outlive the build.</summary>
    private static List<string> ProcessesMentioning(string clone) =>
        Directory.GetDirectories("/proc").Select(d => Path.Combine(d, "cmdline")).Where(File.Exists)
            .Select(f => { try { return File.ReadAllText(f).Replace('\0', ' '); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ""; } })
            .Where(c => c.Contains(clone, StringComparison.Ordinal) && !c.Contains("depoxy_moto.py", StringComparison.Ordinal))
            .ToList();

    /// <summary>Writes a stack's state object again with serial + 1, as another apply would; returns the old serial.</summary>
    private async Task<long> BumpStateSerialAsync(string key)
    {
        var server = await run.EmulatorAsync();
        using var s3 = S3ClientFactory.Create(server.Aws);
        var bucket = EmulatedAccount.Parameter("StateBucket", "prod");
        using var response = await s3.GetObjectAsync(bucket, key);
        var state = System.Text.Json.Nodes.JsonNode.Parse(response.ResponseStream)!;
        var serial = (long)state["serial"]!;
        state["serial"] = serial + 1;
        await s3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = bucket, Key = key, ContentBody = state.ToJsonString() });
        return serial;
    }

    /// <summary>A data row of the Releases table: it starts with the attempt's UTC time.</summary>
    [GeneratedRegex(@"(?m)^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}  .*$")]
    private static partial Regex LedgerRow();
}
