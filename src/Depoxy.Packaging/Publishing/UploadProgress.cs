using System.Diagnostics;
using Depoxy.Build.Engine;
using Spectre.Console;

namespace Depoxy.Packaging.Publishing;

/// <summary>Shows one upload's progress; the upload reports bytes sent so far.</summary>
public interface IUploadProgress
{
    Task<T> TrackAsync<T>(string description, long totalBytes, Func<IProgress<long>, Task<T>> upload);
}

public static class UploadProgress
{
    /// <summary>A progress bar on an interactive terminal; plain log lines in CI or when output is redirected.</summary>
    public static IUploadProgress ForConsole() =>
        !GitHubActions.IsRunning && Environment.GetEnvironmentVariable("CI") is not "true"
        && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive
            ? new BarProgress()
            : new LineProgress();

    public static IUploadProgress Lines { get; } = new LineProgress();

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KiB",
        _ => $"{bytes / (1024.0 * 1024):0.0} MiB",
    };

    private sealed class LineProgress : IUploadProgress
    {
        public async Task<T> TrackAsync<T>(string description, long totalBytes, Func<IProgress<long>, Task<T>> upload)
        {
            Log.Info($"Uploading {description} ({Bytes(totalBytes)})");
            var clock = Stopwatch.StartNew();
            var result = await upload(new Callback(_ => { }));
            Log.Info($"Uploaded {description} in {clock.Elapsed.TotalSeconds:0.0} s");
            return result;
        }
    }

    private sealed class BarProgress : IUploadProgress
    {
        public Task<T> TrackAsync<T>(string description, long totalBytes, Func<IProgress<long>, Task<T>> upload) =>
            AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(Markup.Escape(SecretMasker.Mask(description)), maxValue: Math.Max(totalBytes, 1));
                    var result = await upload(new Callback(sent => task.Value = sent));
                    task.Value = task.MaxValue;
                    return result;
                });
    }

    /// <summary>Reports on the caller's thread; Progress&lt;T&gt; would post to a context a console app does not have.</summary>
    private sealed class Callback(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
