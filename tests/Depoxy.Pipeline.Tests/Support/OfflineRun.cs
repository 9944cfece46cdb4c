using System.Diagnostics;
using Depoxy.Emulator;
using Depoxy.Packaging;
using Depoxy.Testing;
using Depoxy.Testing.Iam;

namespace Depoxy.Pipeline.Tests.Support;

/// <summary>
/// A fresh clone of the repository (committed files only) and the built build, for the offline scenario's steps: its
/// emulator is started by the first --emulator run and stopped, the clone deleted, when the scenario ends.
/// </summary>
public sealed class OfflineRun : IAsyncLifetime
{
    private static readonly TimeSpan PerCommand = TimeSpan.FromMinutes(15);

    public string Clone { get; private set; } = "";
    public BuildCli Cli { get; private set; } = null!;
    public RecordedFlows Recorded { get; private set; } = null!;
    public string Commit { get; private set; } = "";

    /// <summary>The version this commit's release gets (yyyyMMdd.HHmmss-g&lt;sha&gt; of the commit).</summary>
    public string Version { get; private set; } = "";

    public ScenarioSteps Steps { get; } = new();

    /// <summary>What the first Deploy published, which Promote must copy byte for byte.</summary>
    public long PublishedBytes { get; set; }

    public async Task InitializeAsync()
    {
        var repository = RepositoryRoot.Path;
        if (!Directory.Exists(Path.Combine(repository, ".git")) && !File.Exists(Path.Combine(repository, ".git")))
            throw new InvalidOperationException($"{repository} is not a git checkout: the offline scenario clones it to run the build on committed files only; run it from a git clone of the repository");
        Clone = Path.Combine(Directory.CreateTempSubdirectory("depoxy-clone-").FullName, "repo");
        Cli = new BuildCli(repository, Clone, PerCommand);
        Recorded = new RecordedFlows(Path.GetDirectoryName(Clone)!);
        await GitAsync(repository, "clone", "--quiet", repository, Clone);
        var head = (await GitAsync(Clone, "log", "-1", "--format=%ct %H")).Split(' ');
        Commit = head[1];
        Version = ReleaseVersion.FromCommit(DateTimeOffset.FromUnixTimeSeconds(long.Parse(head[0])), head[1]);
        await Cli.EnsureBuiltAsync();
    }

    /// <summary>Stops the emulator whatever the steps did, so no moto_server outlives the scenario.</summary>
    public async Task<CliRun?> StopEmulatorAsync() =>
        File.Exists(Cli.Dll) && Directory.Exists(Clone) && File.Exists(EmulatorServer.StateFile(Clone)) ? await Cli.RunAsync("EmulatorStop") : null;

    public async Task DisposeAsync()
    {
        await StopEmulatorAsync();
        if (Clone.Length > 0 && Directory.Exists(Path.GetDirectoryName(Clone)!)) Directory.Delete(Path.GetDirectoryName(Clone)!, recursive: true);
    }

    public async Task<EmulatorServer> EmulatorAsync() =>
        await EmulatorServer.AttachAsync(Clone) ?? throw new InvalidOperationException("the emulator is not running");

    public static async Task<string> GitAsync(string workingDirectory, params string[] arguments)
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
            throw new TimeoutException($"git {string.Join(' ', arguments)} did not finish within 2 min in {workingDirectory}");
        }
        if (git.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed in {workingDirectory}: {await error}");
        return (await output).Trim();
    }
}
