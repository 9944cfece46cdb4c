using System.Diagnostics;
using System.Text;

namespace Depoxy.Pipeline.Tests.Support;

public sealed record CliRun(string Arguments, int ExitCode, string Output)
{
    public override string ToString() => $"./build.sh {Arguments} exited {ExitCode}:\n{Output}";
}

/// <summary>
/// Runs the already-built build (.nuke/temp/bin/_build.dll of this checkout) against another root, as ./build.sh
/// would, with a bounded time per invocation; on timeout the whole process tree is killed.
/// </summary>
public sealed class BuildCli(string repository, string root, TimeSpan timeout)
{
    public string Dll => Path.Combine(repository, ".nuke", "temp", "bin", "_build.dll");

    /// <summary>Builds _build.dll through the bootstrap script when this checkout has not been built yet.</summary>
    public async Task EnsureBuiltAsync()
    {
        if (File.Exists(Dll)) return;
        var run = await RunAsync(Path.Combine(repository, "build.sh"), ["--help"], repository, "--help");
        if (run.ExitCode != 0 || !File.Exists(Dll))
            throw new InvalidOperationException($"{repository}/build.sh --help did not build {Dll}: {run}");
    }

    public Task<CliRun> RunAsync(params string[] arguments) =>
        RunAsync("dotnet", [Dll, .. arguments, "--root", root, "--no-logo"], root, string.Join(' ', arguments));

    /// <summary>Runs the build and sends it SIGINT, as Ctrl+C would, once a line of its output contains <paramref name="interruptAt"/>.</summary>
    public Task<CliRun> RunInterruptedAsync(string interruptAt, params string[] arguments) =>
        RunAsync("dotnet", [Dll, .. arguments, "--root", root, "--no-logo"], root, string.Join(' ', arguments), interruptAt);

    private async Task<CliRun> RunAsync(string executable, string[] arguments, string workingDirectory, string shown, string? interruptAt = null)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // A new user's shell: no AWS settings of the test host leak in (--emulator provides its own), and on CI the
        // child writes nothing into the job's step summary.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal) || k.StartsWith("GITHUB_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        var interrupted = 0;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            if (interruptAt is not null && e.Data.Contains(interruptAt, StringComparison.Ordinal) && Interlocked.Exchange(ref interrupted, 1) == 0)
                Process.Start("kill", ["-INT", process.Id.ToString()])?.WaitForExit();
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{executable} {string.Join(' ', arguments)} did not finish within {timeout.TotalMinutes:0} min; killed. Output so far:\n{output}");
        }
        lock (output) return new CliRun(shown, process.ExitCode, output.ToString());
    }
}
