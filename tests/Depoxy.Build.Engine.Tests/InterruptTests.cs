using System.Diagnostics;
using System.Text;
using Depoxy.Build.Engine;

namespace Depoxy.Build.Engine.Tests;

/// <summary>Signals a real build process, as Ctrl+C in a terminal or a cancelled CI job does.</summary>
public sealed class InterruptTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("depoxy-interrupt-").FullName;
    private readonly List<int> _started = [];

    public InterruptTests() => Directory.CreateDirectory(Path.Combine(_root, ".nuke"));

    [Theory]
    [InlineData("INT", 130, "SIGINT")]
    [InlineData("TERM", 143, "SIGTERM")]
    public async Task A_signal_during_a_tool_stops_its_whole_process_tree_runs_the_assured_target_and_exits_128_plus_the_signal(
        string signal, int exitCode, string signalName)
    {
        using var build = StartChildBuild();
        var output = Capture(build);
        var sleepPid = await WaitForPidAsync("sleep.pid", build, output);
        var shellPid = await WaitForPidAsync("shell.pid", build, output);
        Assert.True(ProcessTree.IsAlive(sleepPid), "the grandchild sleep should run before the signal");

        Send(signal, build.Id);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await build.WaitForExitAsync(timeout.Token);

        var log = output.ToString();
        Assert.True(exitCode == build.ExitCode, $"exit code {build.ExitCode}, expected {exitCode}:\n{log}");
        Assert.Contains($"{signalName}: stopping Slow and the tools it started, then running the targets that always run (Unlock)", log);
        Assert.Matches($@"Slow\s+Aborted\s+\d+:\d\d\s+interrupted by {signalName}", log);
        Assert.Matches(@"Ship\s+NotRun", log);
        Assert.Matches(@"Unlock\s+Succeeded", log);
        Assert.Contains($"Build interrupted by {signalName}", log);
        Assert.Equal("token cancelled: False, build token cancelled: False", File.ReadAllText(Path.Combine(_root, "unlocked")));
        Assert.False(File.Exists(Path.Combine(_root, "shipped")));
        Assert.False(ProcessTree.IsAlive(shellPid), $"the tool's shell {shellPid} outlived the build");
        Assert.False(ProcessTree.IsAlive(sleepPid), $"the tool's background sleep {sleepPid} outlived the build");
    }

    [Fact]
    public async Task A_process_an_interrupted_target_started_outside_Tool_is_stopped_before_the_assured_targets_run()
    {
        using var build = StartChildBuild("Serve");
        var output = Capture(build);
        var serverPid = await WaitForPidAsync("sleep.pid", build, output);

        Send("INT", build.Id);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await build.WaitForExitAsync(timeout.Token);

        var log = output.ToString();
        Assert.True(build.ExitCode == 130, $"exit code {build.ExitCode}, expected 130:\n{log}");
        Assert.Contains("Serve: stopped 1 process(es) it left running", log);
        Assert.True(log.IndexOf("stopped 1 process(es)", StringComparison.Ordinal) < log.IndexOf("\nUnlock", StringComparison.Ordinal), log);
        Assert.Matches(@"Unlock\s+Succeeded", log);
        Assert.False(ProcessTree.IsAlive(serverPid), $"the server {serverPid} outlived the build");
    }

    [Fact]
    public async Task A_SIGTERM_after_the_SIGINT_as_GitHub_Actions_cancels_does_not_cut_the_assured_targets_short()
    {
        using var build = StartChildBuild();
        var output = Capture(build);
        await WaitForPidAsync("sleep.pid", build, output);

        Send("INT", build.Id);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Send("TERM", build.Id);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await build.WaitForExitAsync(timeout.Token);

        Assert.True(build.ExitCode == 130, $"exit code {build.ExitCode}, expected 130:\n{output}");
        Assert.Equal("token cancelled: False, build token cancelled: False", File.ReadAllText(Path.Combine(_root, "unlocked")));
    }

    private Process StartChildBuild(string? target = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _root,
        };
        foreach (var arg in new[] { typeof(InterruptibleBuild).Assembly.Location, "--root", _root, "--no-logo" }) start.ArgumentList.Add(arg);
        if (target is not null) start.ArgumentList.Add(target);
        start.Environment[ChildBuildProgram.Variable] = "interruptible";
        start.Environment.Remove("GITHUB_ACTIONS");
        var process = Process.Start(start)!;
        _started.Add(process.Id);
        return process;
    }

    private static StringBuilder Capture(Process process)
    {
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return output;
    }

    private async Task<int> WaitForPidAsync(string file, Process build, StringBuilder output)
    {
        var path = Path.Combine(_root, file);
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), out var pid))
            {
                _started.Add(pid);
                return pid;
            }
            if (build.HasExited) break;
            await Task.Delay(100);
        }
        throw new TimeoutException($"{file} never appeared; the build printed:\n{output}");
    }

    private static void Send(string signal, int pid)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    public void Dispose()
    {
        // Whatever a failed assertion left running is not left to the next test.
        foreach (var pid in _started.Where(ProcessTree.IsAlive))
            Process.Start("kill", ["-KILL", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit();
        Directory.Delete(_root, recursive: true);
    }
}
