using Depoxy.Deploy;
using Depoxy.Deploy.Metrics;
using Microsoft.Playwright;

namespace Depoxy.Web.Tests;

/// <summary>The Metrics report as a reader opens it: a file, offline, in Chromium, checked by axe-core.</summary>
public sealed class MetricsReportPageTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Four weeks of a stage's life, 32 attempts: a release most working days, a failure fixed forward, one rolled back
    /// by its smoke test, one undone by a Rollback, a redeploy and a refused attempt.
    /// </summary>
    private static (List<ReleaseRecord> Ledger, Dictionary<string, DateTimeOffset> Commits) FourWeeks()
    {
        var ledger = new List<ReleaseRecord>();
        var commits = new Dictionary<string, DateTimeOffset>(StringComparer.OrdinalIgnoreCase);
        for (var day = 0; day < 28; day++)
        {
            var when = Start.AddDays(day).AddHours(10 + day % 5);
            var sha = (day + 1).ToString("x2") + new string('0', 38);
            commits[sha] = when.AddHours(-(1 + day % 7) * 3);
            var outcome = day switch { 6 => ReleaseOutcome.Failed, 13 => ReleaseOutcome.RolledBack, 20 => ReleaseOutcome.Refused, _ => ReleaseOutcome.Succeeded };
            ledger.Add(Attempt("Deploy", $"v{day + 1}", sha, when, outcome));
            if (day is 9) ledger.Add(Attempt(ReleaseLedger.RollbackKind, "v9", null, when.AddHours(2), ReleaseOutcome.Succeeded));
            if (day is 15) ledger.Add(Attempt("Deploy", $"v{day + 1}", sha, when.AddHours(3), ReleaseOutcome.Succeeded));
            if (day is 22) ledger.Add(Attempt("Deploy", $"v{day + 1}", sha, when.AddHours(1), ReleaseOutcome.Succeeded));
        }
        return (ledger, commits);
    }

    private static ReleaseRecord Attempt(string kind, string version, string? commit, DateTimeOffset when, ReleaseOutcome outcome) => new()
    {
        Stage = "dev", Kind = kind, Version = version, Commit = commit, Who = "ci", When = when, Outcome = outcome,
    };

    [Fact]
    public async Task The_metrics_report_opens_offline_with_named_charts_and_no_accessibility_violations()
    {
        var (ledger, commits) = FourWeeks();
        var report = DeliveryMetrics.Compute("dev", ledger.AsEnumerable().Reverse(), commits, new MetricsWindow(Start, Start.AddDays(28)));
        var file = Path.Combine(Directory.CreateTempSubdirectory("metrics-report-").FullName, "metrics-dev.html");
        await File.WriteAllTextAsync(file, MetricsReport.ToHtml(report));

        await using var chromium = await Chromium.LaunchAsync();
        await using var context = await chromium.NewContextAsync();
        var fetched = new List<string>();
        await context.RouteAsync("**", async route =>
        {
            if (route.Request.Url.StartsWith("file:", StringComparison.Ordinal)) await route.ContinueAsync();
            else
            {
                fetched.Add(route.Request.Url);
                await route.AbortAsync();
            }
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(file).AbsoluteUri);

        Assert.Equal("Delivery metrics of dev", await page.Locator("h1").InnerTextAsync());
        var chartNames = await page.Locator("svg[role=img]").EvaluateAllAsync<string[]>(
            "charts => charts.map(c => document.getElementById(c.getAttribute('aria-labelledby').split(' ')[0]).textContent)");
        Assert.Equal(["The four keys against DORA's performance bands", "Release attempts per week by outcome", "Lead time for changes per release, commit to release"],
            chartNames);
        Assert.Equal(6, await page.Locator("table.figures tbody tr").CountAsync());
        Assert.Empty(fetched);
        Assert.Empty(await Axe.AllViolationsAsync(page));
    }
}
