using System.Diagnostics;
using System.Text.RegularExpressions;
using Depoxy.Emulator;
using Depoxy.Packaging;
using Depoxy.Pipeline.Tests.Support;
using Depoxy.Testing;
using Depoxy.Testing.Iam;
using Xunit.Abstractions;

namespace Depoxy.Pipeline.Tests;

/// <summary>
/// The offline path as a new user runs it, on a fresh clone (committed files only): Deploy twice, Promote, Rollback,
/// Releases, each through the real build with --emulator, where Plan and Apply run the real Terraform against moto
/// (the account bootstrapped with tf/ci first, modules installed from the emulator's modules bucket). Every run
/// records the AWS calls the build's own clients make, and each is simulated against the CI role that runs that step
/// in the workflows, with the policies tf/ci gave the emulator's IAM.
/// </summary>
[Trait("Tier", "terraform")]
[Trait("Tier", "native")]
public sealed partial class OfflineCommandLineTests(ITestOutputHelper output)
{
    private static readonly TimeSpan PerCommand = TimeSpan.FromMinutes(15);

    [Fact]
    public async Task A_fresh_clone_deploys_redeploys_nothing_promotes_and_refuses_a_rollback_with_no_earlier_release()
    {
        var repository = RepositoryRoot.Path;
        if (!Directory.Exists(Path.Combine(repository, ".git")) && !File.Exists(Path.Combine(repository, ".git")))
            Assert.Fail($"{repository} is not a git checkout: this test clones it to run the build on committed files only; run it from a git clone of the repository");
        var clone = Path.Combine(Directory.CreateTempSubdirectory("depoxy-clone-").FullName, "repo");
        var cli = new BuildCli(repository, clone, PerCommand);
        var recorded = new RecordedFlows(Path.GetDirectoryName(clone)!);
        CliRun? stop = null;
        var emulatorLeft = false;
        try
        {
            await GitAsync(repository, "clone", "--quiet", repository, clone);
            var head = (await GitAsync(clone, "log", "-1", "--format=%ct %H")).Split(' ');
            var version = ReleaseVersion.FromCommit(DateTimeOffset.FromUnixTimeSeconds(long.Parse(head[0])), head[1]);
            await cli.EnsureBuiltAsync();

            var first = await cli.RunAsync(["Deploy", "--stage", "dev", "--emulator", .. recorded.Record("Deploy dev", ApplyRole("dev"))]);
            Assert.True(first.ExitCode == 0, first.ToString());
            Assert.Contains("Emulator: tf/ci applied", first.Output);
            AssertPlannedAndApplied(first, "dev");
            var firstArtifacts = Published(first);
            Assert.True(firstArtifacts > 0 && SiteBytes(first, "Deploy", version, "dev") > 0, first.ToString());
            Assert.Contains($"reports version {version}", first.Output);

            // Again as deploy-dev's two jobs run it: the plan job, under main's read-only role, reuses the published
            // release and plans; the apply job applies exactly those plans and releases, uploading nothing.
            var planJob = await cli.RunAsync(["PlanDeploy", "--stage", "dev", "--emulator", .. recorded.Record("Deploy dev again: plan job", MainRole("dev"))]);
            Assert.True(planJob.ExitCode == 0, planJob.ToString());
            Assert.Contains("building nothing", planJob.Output);
            AssertPlanned(planJob, "dev");
            var second = await cli.RunAsync(["ApplyDeploy", "--stage", "dev", "--emulator", .. recorded.Record("Deploy dev again: apply job", ApplyRole("dev"))]);
            Assert.True(second.ExitCode == 0, second.ToString());
            Assert.Matches(@"(?m)^\s+Apply\s+Succeeded", second.Output);
            Assert.DoesNotMatch(@"(?m)^\s+Plan\s+Succeeded", second.Output);
            Assert.Contains($"Release {version} is already published: 0 artifact bytes uploaded", second.Output);
            Assert.Equal(0, SiteBytes(second, "Deploy", version, "dev"));

            var promote = await cli.RunAsync(["Promote", "--from", "dev", "--to", "prod", "--emulator", .. recorded.Record("Promote dev → prod", ApplyRole("prod"))]);
            Assert.True(promote.ExitCode == 0, promote.ToString());
            AssertPlannedAndApplied(promote, "prod");
            Assert.Matches($@"Copied release {Regex.Escape(version)} from s3://\S+ to s3://\S+", promote.Output);
            var promoted = Regex.Match(promote.Output, $@"Promoting {Regex.Escape(version)} from dev to prod: ([\d,]+) artifact bytes uploaded");
            Assert.True(promoted.Success, promote.ToString());
            Assert.Equal(firstArtifacts, long.Parse(promoted.Groups[1].Value.Replace(",", "")));

            var rollback = await cli.RunAsync(["Rollback", "--stage", "prod", "--emulator", .. recorded.Record("Rollback prod, refused", ApplyRole("prod"))]);
            Assert.True(rollback.ExitCode != 0, rollback.ToString());
            Assert.Contains("prod has no earlier successful release to roll back to: see ./build.sh Releases --stage prod", rollback.Output);

            var releases = await cli.RunAsync("Releases", "--stage", "prod", "--emulator");
            Assert.True(releases.ExitCode == 0, releases.ToString());
            var rows = LedgerRow().Matches(releases.Output).Select(m => m.Value).ToList();
            var row = Assert.Single(rows);
            Assert.Matches($@"\sPromote\s+{Regex.Escape(version)}\s+1\s+Succeeded\s", row);

            // A rollback to a named release: the alias, the sites, the smoke test and the ledger, without Terraform.
            var rollbackTo = await cli.RunAsync(["Rollback", "--stage", "prod", "--version", version, "--emulator", .. recorded.Record("Rollback prod", ApplyRole("prod"))]);
            Assert.True(rollbackTo.ExitCode == 0, rollbackTo.ToString());
            Assert.Contains($"Rollback → prod: {version} on Lambda version 1", rollbackTo.Output);

            // The two-job promote of the workflow: the apply job applies the plan job's sealed plans, and refuses
            // them once a stack's state moved in between (here: another run wrote prod/api's state).
            var promotePlanJob = await cli.RunAsync(["PlanPromote", "--from", "dev", "--to", "prod", "--emulator", .. recorded.Record("Promote plan job", MainRole("prod"))]);
            Assert.True(promotePlanJob.ExitCode == 0, promotePlanJob.ToString());
            Assert.Matches(@"(?m)^\s+Plan\s+Succeeded", promotePlanJob.Output);
            var serial = await BumpStateSerialAsync(clone, "prod/api/terraform.tfstate");
            var refused = await cli.RunAsync(["ApplyPromote", "--from", "dev", "--to", "prod", "--emulator", .. recorded.Record("Promote apply job, refused", ApplyRole("prod"))]);
            Assert.True(refused.ExitCode != 0, refused.ToString());
            Assert.Contains($"serial moved from {serial} to {serial + 1}", refused.Output);
            Assert.Contains("Re-run the plan job for prod/api", refused.Output);

            Assert.True((await cli.RunAsync(["PlanPromote", "--from", "dev", "--to", "prod", "--emulator", .. recorded.Record("Promote plan job", MainRole("prod"))])).ExitCode == 0);
            var applyJob = await cli.RunAsync(["ApplyPromote", "--from", "dev", "--to", "prod", "--emulator", .. recorded.Record("Promote apply job", ApplyRole("prod"))]);
            Assert.True(applyJob.ExitCode == 0, applyJob.ToString());
            Assert.Matches(@"(?m)^\s+Apply\s+Succeeded", applyJob.Output);
            Assert.DoesNotMatch(@"(?m)^\s+Plan\s+Succeeded", applyJob.Output);
            Assert.Contains($"Promote {version} → prod:", applyJob.Output);

            // The weekly drift plan of a stack, as drift.yml runs it on main: lock-free, against what prod runs.
            var drift = await cli.RunAsync(["Plan", "--stage", "prod", "--stack", "api", "--emulator", .. recorded.Record("Drift plan prod/api", MainRole("prod"))]);
            Assert.True(drift.ExitCode == 0, drift.ToString());
            Assert.Contains($"prod: plan of release {version}", drift.Output);

            // Ctrl+C while terraform applies a Deploy: the run stops with 130, Unlock still runs, and nothing it started is left.
            var interrupted = await cli.RunInterruptedAsync("> terraform apply",
                ["Deploy", "--stage", "dev", "--emulator", .. recorded.Record("Deploy dev, interrupted", ApplyRole("dev"))]);
            Assert.True(interrupted.ExitCode == 130, interrupted.ToString());
            Assert.Matches(@"(?m)^\s+Unlock\s+Succeeded", interrupted.Output);
            Assert.False(await HoldsObjectAsync(clone, EmulatedAccount.Parameter("ArtifactsBucket", "dev"), "releases/dev/lock.json"), "the interrupted run left dev's lock");
            Assert.Empty(ProcessesMentioning(clone));

            // A pull request's plan at a commit whose version was never published plans against what dev runs.
            await GitAsync(clone, "-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "--quiet", "--allow-empty", "-m", "a pull request");
            var pullRequest = await cli.RunAsync(["Plan", "--stage", "dev", "--stack", "api", "--emulator", .. recorded.Record("Pull-request plan dev/api", PlanRole("dev"))]);
            Assert.True(pullRequest.ExitCode == 0, pullRequest.ToString());
            Assert.Contains($"dev: plan of release {version}", pullRequest.Output);
            Assert.Matches(@"dev/api: 0 to create, \d+ to update, 0 to replace, 0 to delete", pullRequest.Output);

            // --version of a release another commit built is refused before anything is written. The ledger lists that
            // refusal and the interrupted Deploy, which stopped in Apply, beside the two that succeeded.
            var otherCommit = await cli.RunAsync(["Deploy", "--stage", "dev", "--version", version, "--emulator",
                .. recorded.Record("Deploy dev --version of another commit, refused", ApplyRole("dev"))]);
            Assert.True(otherCommit.ExitCode != 0, otherCommit.ToString());
            Assert.Contains($"release {version} in s3://{EmulatedAccount.Parameter("ArtifactsBucket", "dev")} was built from commit {head[1]}", otherCommit.Output);
            var devReleases = await cli.RunAsync("Releases", "--stage", "dev", "--emulator");
            Assert.Equal(2, Regex.Matches(devReleases.Output, $@"(?m)\sDeploy\s+{Regex.Escape(version)}\s+\d+\s+Succeeded\s").Count);
            Assert.Matches($@"(?m)\sDeploy\s+{Regex.Escape(version)}\s+-\s+Failed\s.*Apply stopped: interrupted by SIGINT", devReleases.Output);
            Assert.Matches($@"(?m)\sDeploy\s+{Regex.Escape(version)}\s+-\s+Refused\s.*Package stopped: release {Regex.Escape(version)} .* was built from commit", devReleases.Output);

            await AssertEveryRecordedCallIsAllowedAsync(clone, recorded);
        }
        finally
        {
            // Always, so no moto_server outlives the test; its result is checked below, after a failure's own message.
            if (File.Exists(cli.Dll) && Directory.Exists(clone)) stop = await cli.RunAsync("EmulatorStop");
            emulatorLeft = File.Exists(EmulatorServer.StateFile(clone));
            Directory.Delete(Path.GetDirectoryName(clone)!, recursive: true);
        }
        Assert.False(emulatorLeft, "EmulatorStop left .nuke/temp/emulator.json behind");
        Assert.True(stop is { ExitCode: 0 } && stop.Output.Contains("Emulator stopped"), stop?.ToString());
    }

    private static string ApplyRole(string stage) => $"github-depoxy-{stage}-apply";

    private static string PlanRole(string stage) => $"github-depoxy-{stage}-plan";

    /// <summary>Jobs on main outside an environment (drift, the plan jobs of deploy-dev and promote-prod) assume the drift role.</summary>
    private static string MainRole(string stage) => $"github-depoxy-{stage}-drift";

    /// <summary>
    /// The recorded calls, tagged as AWS tags them with the resource's tags, simulated as the role of each step against
    /// the roles tf/ci created in the emulator. Replayed in order, the stage locks are all taken and given back.
    /// </summary>
    private async Task AssertEveryRecordedCallIsAllowedAsync(string clone, RecordedFlows recorded)
    {
        var server = await EmulatorServer.AttachAsync(clone) ?? throw new InvalidOperationException("the emulator is not running");
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
        foreach (var stack in new[] { "api", "www", "app" })
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

    private static async Task<bool> HoldsObjectAsync(string clone, string bucket, string key)
    {
        var server = await EmulatorServer.AttachAsync(clone) ?? throw new InvalidOperationException("the emulator is not running");
        using var s3 = Depoxy.Aws.S3ClientFactory.Create(server.Aws);
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
    private static async Task<long> BumpStateSerialAsync(string clone, string key)
    {
        var server = await EmulatorServer.AttachAsync(clone) ?? throw new InvalidOperationException("the emulator is not running");
        using var s3 = Depoxy.Aws.S3ClientFactory.Create(server.Aws);
        var bucket = EmulatedAccount.Parameter("StateBucket", "prod");
        using var response = await s3.GetObjectAsync(bucket, key);
        var state = System.Text.Json.Nodes.JsonNode.Parse(response.ResponseStream)!;
        var serial = (long)state["serial"]!;
        state["serial"] = serial + 1;
        await s3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = bucket, Key = key, ContentBody = state.ToJsonString() });
        return serial;
    }

    private static async Task<string> GitAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var git = Process.Start(start)!;
        var output = git.StandardOutput.ReadToEndAsync();
        var error = git.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await git.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            git.Kill(entireProcessTree: true);
            Assert.Fail($"git {string.Join(' ', arguments)} did not finish within 2 min in {workingDirectory}");
        }
        if (git.ExitCode != 0) Assert.Fail($"git {string.Join(' ', arguments)} failed in {workingDirectory}: {await error}");
        return (await output).Trim();
    }

    /// <summary>A data row of the Releases table: it starts with the attempt's UTC time.</summary>
    [GeneratedRegex(@"(?m)^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}  .*$")]
    private static partial Regex LedgerRow();
}
