using Depoxy.Build.Engine;
using Spectre.Console;

namespace Depoxy.Sites;

/// <summary>Upload progress: a live bar on an interactive terminal, one log line per 100 files in CI or a redirected output.</summary>
internal static class SyncProgress
{
    public const int LineEvery = 100;

    public static bool Interactive =>
        !IsSet("CI") && !IsSet("GITHUB_ACTIONS") && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="work"/>, which reports each finished file's byte count through the callback it is given.</summary>
    public static async Task RunAsync(string title, int files, long bytes, Func<Action<long>, Task> work)
    {
        if (files == 0) return;
        if (Interactive)
        {
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(Markup.Escape(title), maxValue: Math.Max(bytes, 1));
                    await work(done => task.Increment(done));
                    task.Value = task.MaxValue;
                });
            return;
        }
        var count = 0;
        long sent = 0;
        await work(done =>
        {
            var finished = Interlocked.Increment(ref count);
            var total = Interlocked.Add(ref sent, done);
            if (finished % LineEvery == 0 || finished == files)
                Log.Info($"{title}: {finished}/{files} files, {Size.Format(total)} of {Size.Format(bytes)}");
        });
    }

    private static bool IsSet(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value && !value.Equals("false", StringComparison.OrdinalIgnoreCase) && value != "0";
}

internal static class Size
{
    public static string Format(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KiB",
        _ => $"{bytes / (1024.0 * 1024):0.0} MiB",
    };
}
