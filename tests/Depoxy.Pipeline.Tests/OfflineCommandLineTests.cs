using System.Diagnostics;
using System.Text.RegularExpressions;
using Depoxy.Emulator;
using Depoxy.Packaging;
using Depoxy.Pipeline.Tests.Support;
using Depoxy.Testing;

namespace Depoxy.Pipeline.Tests;

/// <summary>
/// The offline path as a new user runs it, on a fresh clone (committed files only): Deploy twice, Promote, Rollback,
/// Releases, each through the real build with --emulator.
/// </summary>
public sealed partial class OfflineCommandLineTests
{
    private static readonly TimeSpan PerCommand = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task A_fresh_clone_deploys_redeploys_nothing_promotes_and_refuses_a_rollback_with_no_earlier_release()
    {
        var repository = RepositoryRoot.Path;
        if (!Directory.Exists(Path.Combine(repository, ".git")) && !File.Exists(Path.Combine(repository, ".git")))
            Assert.Fail($"{repository} is not a git checkout: this test clones it to run the build on committed files only; run it from a git clone of the repository");
        var clone = Path.Combine(Directory.CreateTempSubdirectory("depoxy-clone-").FullName, "repo");
        var cli = new BuildCli(repository, clone, PerCommand);
        CliRun? stop = null;
        var emulatorLeft = false;
        try
        {
            await GitAsync(repository, "clone", "--quiet", repository, clone);
            var head = (await GitAsync(clone, "log", "-1", "--format=%ct %H")).Split(' ');
            var version = ReleaseVersion.FromCommit(DateTimeOffset.FromUnixTimeSeconds(long.Parse(head[0])), head[1]);
            await cli.EnsureBuiltAsync();

            var first = await cli.RunAsync("Deploy", "--stage", "dev", "--emulator");
            Assert.True(first.ExitCode == 0, first.ToString());
            var (firstArtifacts, firstSites) = Uploaded(first, "Deploy", version, "dev");
            Assert.True(firstArtifacts > 0 && firstSites > 0, first.ToString());
            Assert.Contains($"reports version {version}", first.Output);

            var second = await cli.RunAsync("Deploy", "--stage", "dev", "--emulator");
            Assert.True(second.ExitCode == 0, second.ToString());
            Assert.Equal((0, 0), Uploaded(second, "Deploy", version, "dev"));
            Assert.Matches(@"Package\s+Skipped\s+release already published", second.Output);

            var promote = await cli.RunAsync("Promote", "--from", "dev", "--to", "prod", "--emulator");
            Assert.True(promote.ExitCode == 0, promote.ToString());
            Assert.Contains($"Copied release {version} from s3://depoxy-artifacts-dev to s3://depoxy-artifacts-prod", promote.Output);
            var (promotedArtifacts, _) = Uploaded(promote, "Promote", version, "prod");
            Assert.Equal(firstArtifacts, promotedArtifacts);

            var rollback = await cli.RunAsync("Rollback", "--stage", "prod", "--emulator");
            Assert.True(rollback.ExitCode != 0, rollback.ToString());
            Assert.Contains("prod has no earlier successful release to roll back to: see ./build.sh Releases --stage prod", rollback.Output);

            var releases = await cli.RunAsync("Releases", "--stage", "prod", "--emulator");
            Assert.True(releases.ExitCode == 0, releases.ToString());
            var rows = LedgerRow().Matches(releases.Output).Select(m => m.Value).ToList();
            var row = Assert.Single(rows);
            Assert.Matches($@"\sPromote\s+{Regex.Escape(version)}\s+1\s+Succeeded\s", row);
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

    private static (long Artifacts, long Sites) Uploaded(CliRun run, string kind, string version, string stage)
    {
        var match = Regex.Match(run.Output, $@"{kind} {Regex.Escape(version)} → {stage}: ([\d,]+) artifact bytes and ([\d,]+) site bytes uploaded");
        Assert.True(match.Success, $"no '{kind} {version} → {stage}: … uploaded' line in {run}");
        return (long.Parse(match.Groups[1].Value.Replace(",", "")), long.Parse(match.Groups[2].Value.Replace(",", "")));
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
