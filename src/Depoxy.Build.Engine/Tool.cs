using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace Depoxy.Build.Engine;

public sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError);

public sealed class ToolException(string message, ToolResult result) : Exception(message)
{
    public ToolResult Result { get; } = result;
}

/// <summary>
/// Runs external tools through CliWrap: echoes <c>&gt; tool args</c>, streams both output streams as plain log
/// lines (stderr is not an error by itself), masks secrets, and keeps stderr for the error message. Cancelled (by
/// <paramref name="cancellationToken"/> or the running target's token), it stops the tool's whole process tree.
/// </summary>
public static class Tool
{
    /// <param name="stopGracePeriod">
    /// How long the tool may take to exit after SIGINT before its tree is killed (default 10 s); terraform needs
    /// longer to release its state lock.
    /// </param>
    /// <param name="echoPrefix">Put before each echoed line, so the output of tools running side by side stays apart.</param>
    /// <param name="observeLine">Sees each output line (both streams) as it comes, for progress a tool does not print itself.</param>
    public static async Task<ToolResult> RunAsync(
        string executable,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null,
        bool echoOutput = true,
        bool allowFailure = false,
        CancellationToken cancellationToken = default,
        TimeSpan? stopGracePeriod = null,
        string? echoPrefix = null,
        Action<string>? observeLine = null)
    {
        var args = arguments.ToList();
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, TargetContext.CancellationToken);
        var token = cancellation.Token;
        token.ThrowIfCancellationRequested();
        Log.Info(echoPrefix + "> " + Display(executable, args));
        var prefix = echoPrefix is null ? "" : echoPrefix + ": ";
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var command = Cli.Wrap(executable)
            .WithArguments(args)
            .WithWorkingDirectory(workingDirectory ?? Directory.GetCurrentDirectory())
            .WithEnvironmentVariables(environment ?? new Dictionary<string, string?>())
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(line =>
            {
                stdout.AppendLine(line);
                observeLine?.Invoke(line);
                if (echoOutput) Log.Info(prefix + line);
            }))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line =>
            {
                stderr.AppendLine(line);
                observeLine?.Invoke(line);
                if (echoOutput) Log.Info(prefix + line);
            }));

        // CliWrap only gets a token once the tree is dead, so that it stops waiting for output pipes a killed
        // grandchild may have held; the stopping itself (SIGINT, grace, SIGKILL of the tree) is ProcessTree's.
        using var released = new CancellationTokenSource();
        CommandResult result;
        Task stopped = Task.CompletedTask;
        try
        {
            var running = command.ExecuteAsync(released.Token);
            using (token.Register(() => stopped = StopAsync(running.ProcessId, stopGracePeriod ?? ProcessTree.DefaultGracePeriod, released)))
                result = await running;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ToolException($"{executable} could not be started: {e.Message}", new ToolResult(-1, "", e.Message));
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            await stopped;
            throw new OperationCanceledException($"{Display(executable, args)} was stopped: its run was cancelled", token);
        }
        if (token.IsCancellationRequested)
        {
            await stopped;
            throw new OperationCanceledException($"{Display(executable, args)} was stopped: its run was cancelled", token);
        }

        var toolResult = new ToolResult(result.ExitCode, stdout.ToString(), stderr.ToString());
        if (result.ExitCode != 0 && !allowFailure)
            throw new ToolException(FailureMessage(executable, args, toolResult), toolResult);
        return toolResult;
    }

    private static async Task StopAsync(int processId, TimeSpan gracePeriod, CancellationTokenSource released)
    {
        await ProcessTree.StopAsync(processId, gracePeriod);
        await released.CancelAsync();
    }

    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

    public static string Display(string executable, IEnumerable<string> arguments) =>
        SecretMasker.Mask(string.Join(' ', new[] { Path.GetFileName(executable) }.Concat(arguments.Select(Quote))));

    private static string FailureMessage(string executable, IReadOnlyList<string> args, ToolResult result)
    {
        var detail = LastLines(result.StandardError, 20);
        if (detail.Length == 0) detail = LastLines(result.StandardOutput, 20);
        var message = $"{Display(executable, args)} exited with code {result.ExitCode}";
        return detail.Length == 0 ? message : message + ":" + Environment.NewLine + SecretMasker.Mask(detail);
    }

    private static string LastLines(string text, int count) =>
        string.Join(Environment.NewLine, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).TakeLast(count));

    private static string Quote(string argument) =>
        argument.Length == 0 || argument.Any(c => char.IsWhiteSpace(c) || c == '"') ? "\"" + argument.Replace("\"", "\\\"") + "\"" : argument;
}
