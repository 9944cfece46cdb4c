using System.Globalization;
using Depoxy.Build.Engine;

namespace Depoxy.Deploy.Metrics;

/// <summary>
/// Metrics: the stage's ledger and the clone's commit times in, artifacts/metrics-&lt;stage&gt;.html and .md out, the
/// figures printed and added to the GitHub job summary.
/// </summary>
public static class MetricsFlow
{
    public static async Task<DeliveryReport> RunAsync(ReleaseLedger ledger, string repositoryRoot, string artifactsDirectory, MetricsWindow window,
        CancellationToken cancellationToken = default)
    {
        var history = await ledger.GetHistoryAsync(cancellationToken);
        var report = DeliveryMetrics.Compute(ledger.Stage, history, await CommitTimesAsync(repositoryRoot, cancellationToken), window);
        Directory.CreateDirectory(artifactsDirectory);
        var html = Path.Combine(artifactsDirectory, $"metrics-{ledger.Stage}.html");
        var markdown = MetricsReport.ToMarkdown(report);
        await File.WriteAllTextAsync(html, MetricsReport.ToHtml(report), cancellationToken);
        await File.WriteAllTextAsync(Path.ChangeExtension(html, ".md"), markdown, cancellationToken);
        Log.Always($"{MetricsReport.Title(report)}: {MetricsReport.WindowText(report)}");
        foreach (var figure in report.Figures)
            Log.Always($"  {figure.Name}: {figure.ValueText}{(figure.Band is { } band ? $" ({band})" : "")}, rests on {figure.BasisText}");
        Log.Always($"Report: {html}");
        GitHubActions.AppendToStepSummary(markdown);
        return report;
    }

    /// <summary>
    /// Committer time of every commit the clone has. A released commit it lacks (a shallow clone, an unfetched branch)
    /// gets no lead time, and the figure says how many it left out.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, DateTimeOffset>> CommitTimesAsync(string repositoryRoot, CancellationToken cancellationToken = default)
    {
        try
        {
            var log = await Tool.RunAsync("git", ["log", "--all", "--format=%H %ct"], repositoryRoot, echoOutput: false, cancellationToken: cancellationToken);
            return log.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => line.Split(' '))
                .ToDictionary(parts => parts[0], parts => DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts[1], CultureInfo.InvariantCulture)),
                    StringComparer.OrdinalIgnoreCase);
        }
        catch (ToolException e)
        {
            Log.Warn($"No commit times from git in {repositoryRoot} ({e.Message.Split('\n')[0]}): lead times need a git clone with the released commits");
            return new Dictionary<string, DateTimeOffset>();
        }
    }
}
