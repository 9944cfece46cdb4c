using System.Text.RegularExpressions;
using Depoxy.Build.Engine;
using Depoxy.Deploy.Metrics;

namespace Depoxy.Deploy.Tests;

/// <summary>
/// DORA's keys computed from ledgers built for each awkward case, against values worked out by hand in the comments.
/// The window is four weeks from Monday 2 March 2026; the figures need 3 releases (the p90 10).
/// </summary>
public sealed partial class DeliveryMetricsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly MetricsWindow FourWeeks = new(T0, T0.AddDays(28));

    private readonly Dictionary<string, DateTimeOffset> _commits = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A commit made at <paramref name="committed"/>; its sha is its name repeated, as the ledger stores full shas.</summary>
    private string Commit(string name, DateTimeOffset committed)
    {
        var sha = string.Concat(Enumerable.Repeat(name, 40 / name.Length + 1))[..40];
        _commits[sha] = committed;
        return sha;
    }

    private static ReleaseRecord Attempt(string kind, string version, string? commit, DateTimeOffset when, ReleaseOutcome outcome) => new()
    {
        Stage = "prod", Kind = kind, Version = version, Commit = commit, Who = "ci", When = when, Outcome = outcome,
    };

    /// <summary>A Deploy of a new commit made at <paramref name="committed"/>, released <paramref name="lead"/> hours later.</summary>
    private ReleaseRecord Shipped(string version, string commit, DateTimeOffset committed, double lead, ReleaseOutcome outcome = ReleaseOutcome.Succeeded) =>
        Attempt("Deploy", version, Commit(commit, committed), committed + H(lead), outcome);

    /// <summary>The ledger as ReleaseLedger returns it: newest first.</summary>
    private DeliveryReport Compute(params ReleaseRecord[] oldestFirst) =>
        DeliveryMetrics.Compute("prod", oldestFirst.Reverse(), _commits, FourWeeks);

    private static TimeSpan H(double hours) => TimeSpan.FromHours(hours);

    [Fact]
    public void An_empty_ledger_gives_no_number_and_says_each_figure_rests_on_no_release()
    {
        var report = Compute();

        Assert.All(report.Figures, f =>
        {
            Assert.Null(f.Value);
            Assert.Equal(0, f.Releases);
            Assert.StartsWith("too few releases (needs ", f.ValueText);
        });
        Assert.Contains("| Deployment frequency | too few releases (needs 3, has 0) | - | 0 releases |", MetricsReport.ToMarkdown(report));
    }

    [Fact]
    public void Only_failures_give_a_change_failure_rate_of_one_and_an_outage_still_open()
    {
        var report = Compute(
            Attempt("Deploy", "v1", Commit("a1", T0), T0.AddDays(1), ReleaseOutcome.Failed),
            Attempt("Deploy", "v1", Commit("a1", T0), T0.AddDays(2), ReleaseOutcome.Failed),
            Attempt("Deploy", "v2", Commit("b2", T0.AddDays(2)), T0.AddDays(3), ReleaseOutcome.Failed));

        // 3 deployments, all failed: 3/3. Nothing succeeded, so no frequency, lead time or rework; the stage has been
        // broken since the first failure (day 1) and is not yet recovered.
        Assert.Equal(1.0, report.ChangeFailureRate.Value);
        Assert.Equal(3, report.ChangeFailureRate.Releases);
        Assert.Equal(Band.Low, report.ChangeFailureRate.Band);
        Assert.Null(report.DeploymentFrequency.Value);
        Assert.Equal(0, report.DeploymentFrequency.Releases);
        Assert.Null(report.LeadTimeMedian.Value);
        Assert.Null(report.ReworkRate.Value);
        Assert.Equal(new[] { new Outage(T0.AddDays(1), null) }, report.Outages);
        Assert.Null(report.RecoveryTime.Value);
        Assert.Equal("1 failure not yet recovered", report.RecoveryTime.Caveat);
    }

    [Fact]
    public void A_release_stamped_before_its_commit_by_a_skewed_clock_is_left_out_of_the_lead_time_and_said_so()
    {
        var report = Compute(
            Shipped("v1", "a1", T0, lead: 2),
            Shipped("v2", "b2", T0.AddDays(1), lead: 4),
            Shipped("v3", "c3", T0.AddDays(2), lead: 6),
            // The runner's clock is 10 minutes behind the committer's: released "before" it was committed.
            Attempt("Deploy", "v4", Commit("d4", T0.AddDays(3) + H(1)), T0.AddDays(3) + TimeSpan.FromMinutes(50), ReleaseOutcome.Succeeded));

        // Lead times 2 h, 4 h, 6 h: median 4 h on 3 releases; frequency still counts all 4 in 28 days.
        Assert.Equal(4.0, report.LeadTimeMedian.Value);
        Assert.Equal(3, report.LeadTimeMedian.Releases);
        Assert.Equal("1 stamped before its commit (clock skew) left out", report.LeadTimeMedian.Caveat);
        Assert.Equal(4.0 / 28, report.DeploymentFrequency.Value);
        Assert.Equal("1 per week", report.DeploymentFrequency.ValueText);
        Assert.Equal(0.0, report.ChangeFailureRate.Value);
    }

    [Fact]
    public void A_redeploy_recorded_as_unchanged_is_no_deployment()
    {
        var a1 = Commit("a1", T0);
        var report = Compute(
            Attempt("Deploy", "v1", a1, T0 + H(1), ReleaseOutcome.Succeeded),
            Attempt("Deploy", "v1", a1, T0.AddDays(1), ReleaseOutcome.Succeeded) with { Unchanged = true },
            Shipped("v2", "b2", T0.AddDays(2), lead: 3),
            Shipped("v3", "c3", T0.AddDays(3), lead: 1));

        Assert.Equal(3, report.DeploymentFrequency.Releases);
        Assert.Equal(3, report.ChangeFailureRate.Releases);
    }

    [Fact]
    public void The_same_version_released_twice_is_two_deployments_but_one_change_with_one_lead_time()
    {
        var a1 = Commit("a1", T0);
        var report = Compute(
            Attempt("Deploy", "v1", a1, T0 + H(1), ReleaseOutcome.Succeeded),
            Attempt("Deploy", "v1", a1, T0.AddDays(1), ReleaseOutcome.Succeeded),
            Shipped("v2", "b2", T0.AddDays(2), lead: 3),
            Shipped("v3", "c3", T0.AddDays(3), lead: 1));

        // Lead times 1 h (v1's first release only), 3 h, 1 h: median 1 h on 3; 4 deployments, none failed or rework.
        Assert.Equal(new TimeSpan?[] { H(1), null, H(3), H(1) }, report.Releases.Select(f => f.LeadTime));
        Assert.Equal(1.0, report.LeadTimeMedian.Value);
        Assert.Equal(3, report.LeadTimeMedian.Releases);
        Assert.Equal(Band.Elite, report.LeadTimeMedian.Band);
        Assert.Equal(4, report.DeploymentFrequency.Releases);
        Assert.All(new[] { report.ChangeFailureRate, report.ReworkRate }, f => Assert.Equal(0.0, f.Value));
    }

    [Fact]
    public void A_rollback_to_an_old_version_makes_the_undone_release_a_change_failure_and_the_next_new_version_rework()
    {
        var report = Compute(
            Shipped("v1", "a1", T0, lead: 1),
            Shipped("v2", "b2", T0.AddDays(1) - H(2), lead: 2),
            Shipped("v3", "c3", T0.AddDays(2) - H(1), lead: 1),
            // Back to v1, whose commit is two days old.
            Attempt(ReleaseLedger.RollbackKind, "v1", Commit("a1", T0), T0.AddDays(2) + H(0.5), ReleaseOutcome.Succeeded),
            Shipped("v4", "d4", T0.AddDays(3) - H(4), lead: 4));

        // Deployments v1..v4 (the rollback is not one): v3 undone, 1/4 failed; v4 is the fix, 1/4 rework. The outage
        // runs from v3's release to the rollback, half an hour: 1 recovery, too few for a number. Lead times 1, 2, 1, 4 h
        // (the rollback's old commit adds none): median 1.5 h.
        Assert.Equal(new[] { false, false, true, false, false }, report.Releases.Select(f => f.IsChangeFailure));
        Assert.Equal(new[] { false, false, false, false, true }, report.Releases.Select(f => f.IsRework));
        Assert.Equal(0.25, report.ChangeFailureRate.Value);
        Assert.Equal(4, report.ChangeFailureRate.Releases);
        Assert.Equal(0.25, report.ReworkRate.Value);
        Assert.Equal(new[] { new Outage(T0.AddDays(2), T0.AddDays(2) + H(0.5)) }, report.Outages);
        Assert.Null(report.RecoveryTime.Value);
        Assert.Equal(1, report.RecoveryTime.Releases);
        Assert.Equal(1.5, report.LeadTimeMedian.Value);
        Assert.Equal(4, report.LeadTimeMedian.Releases);
    }

    [Fact]
    public void An_interrupted_attempt_counts_as_a_failure_only_when_it_changed_the_stage()
    {
        var report = Compute(
            // Plan interrupted: refused before its first write, the stage unchanged (as StoppedAttempt records it).
            Attempt("Deploy", "(not packaged)", null, T0 + H(1), ReleaseOutcome.Refused),
            // Apply interrupted: the infrastructure may be partly applied.
            Attempt("Deploy", "v1", null, T0 + H(2), ReleaseOutcome.Failed),
            Attempt("Deploy", "v1", Commit("a1", T0), T0 + H(5), ReleaseOutcome.Succeeded),
            Attempt("Deploy", "v2", Commit("b2", T0.AddDays(1) - H(1)), T0.AddDays(1), ReleaseOutcome.Failed),
            Attempt("Deploy", "v2", Commit("b2", T0.AddDays(1) - H(1)), T0.AddDays(1) + H(1), ReleaseOutcome.Succeeded),
            Attempt("Deploy", "v3", Commit("c3", T0.AddDays(2) - H(1)), T0.AddDays(2), ReleaseOutcome.RolledBack),
            Attempt("Deploy", "v3", Commit("c3", T0.AddDays(2) - H(1)), T0.AddDays(2) + H(1), ReleaseOutcome.Failed),
            Attempt("Deploy", "v4", Commit("d4", T0.AddDays(2) + H(2)), T0.AddDays(2) + H(3), ReleaseOutcome.Succeeded));

        // 7 deployments (the refused attempt is none), 4 failed: 4/7. Outages: the Apply failure at 2 h to v1 at 5 h
        // (3 h), v2's failure to its success (1 h), v3's failure at day 2 + 1 h to v4 at + 3 h (2 h); the rolled-back
        // attempt put the stage back itself. Median 2 h. v1, v2 and v4 each follow a failure: 3/3 rework.
        Assert.Equal(8, report.Releases.Count);
        Assert.Equal(7, report.ChangeFailureRate.Releases);
        Assert.Equal(4.0 / 7, report.ChangeFailureRate.Value);
        Assert.Equal(Band.Medium, report.ChangeFailureRate.Band);
        Assert.Equal(new TimeSpan?[] { H(3), H(1), H(2) }, report.Outages.Select(o => o.Recovered - o.Failed));
        Assert.Equal(2.0, report.RecoveryTime.Value);
        Assert.Equal(Band.High, report.RecoveryTime.Band);
        Assert.Equal(1.0, report.ReworkRate.Value);
        Assert.Equal(3, report.ReworkRate.Releases);
    }

    [Fact]
    public void Lead_time_p90_is_the_nearest_rank_and_needs_ten_releases()
    {
        var nine = Enumerable.Range(1, 9).Select(i => Shipped($"v{i}", $"{i:x2}", T0.AddDays(i), lead: i)).ToArray();
        var ten = nine.Append(Shipped("v10", "0a", T0.AddDays(10), lead: 10)).ToArray();

        // 1..9 h: median 5 h, p90 refused. 1..10 h: median (5 + 6) / 2 = 5.5 h, p90 the 9th of 10 = 9 h.
        Assert.Equal(5.0, Compute(nine).LeadTimeMedian.Value);
        Assert.Null(Compute(nine).LeadTimeP90.Value);
        Assert.Equal("too few releases (needs 10, has 9)", Compute(nine).LeadTimeP90.ValueText);
        Assert.Equal(5.5, Compute(ten).LeadTimeMedian.Value);
        Assert.Equal(9.0, Compute(ten).LeadTimeP90.Value);
    }

    [Fact]
    public void Releases_before_the_window_are_context_not_counted()
    {
        var a1 = Commit("a1", T0.AddDays(-10));
        var report = Compute(
            Attempt("Deploy", "v1", a1, T0.AddDays(-9), ReleaseOutcome.Succeeded),
            Attempt("Deploy", "v1", a1, T0.AddDays(1), ReleaseOutcome.Succeeded));

        // v1 reached the stage before the window: its redeploy inside is a deployment with no lead time.
        Assert.Single(report.Releases);
        Assert.Equal(1, report.DeploymentFrequency.Releases);
        Assert.Equal(0, report.LeadTimeMedian.Releases);
    }

    [Fact]
    public void A_commit_the_clone_lacks_gets_no_lead_time_and_the_figure_says_how_many()
    {
        var report = Compute(Attempt("Deploy", "v1", new string('f', 40), T0.AddDays(1), ReleaseOutcome.Succeeded));

        Assert.Equal("1 without its commit in this clone", report.LeadTimeMedian.Caveat);
        Assert.Equal("0 releases; 1 without its commit in this clone", report.LeadTimeMedian.BasisText);
    }

    [Theory]
    [InlineData("6w", 42 * 24)]
    [InlineData("90d", 90 * 24)]
    [InlineData("12h", 12)]
    [InlineData("2026-03-20", 12 * 24)]
    public void Since_takes_a_duration_or_a_date(string since, double hours)
    {
        var now = new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(H(hours), MetricsWindow.Parse(since, now).Length);
    }

    [Theory]
    [InlineData("0d")]
    [InlineData("last month")]
    [InlineData("2027-01-01")]
    public void A_since_that_is_neither_a_past_date_nor_a_duration_is_a_usage_error_naming_the_forms(string since)
    {
        var error = Assert.Throws<UsageException>(() => MetricsWindow.Parse(since, new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero)));

        Assert.Contains("(90d, 6w, 12h)", error.Message);
    }

    [Fact]
    public void The_html_report_is_self_contained_with_titled_charts_and_the_figures()
    {
        var report = Compute(
            Shipped("v1", "a1", T0, lead: 1),
            Shipped("v2", "b2", T0.AddDays(1), lead: 1, ReleaseOutcome.Failed),
            Shipped("v2", "b2", T0.AddDays(1), lead: 2));

        var html = MetricsReport.ToHtml(report);

        Assert.DoesNotMatch(ExternalReference(), html);
        Assert.Equal(3, SvgChart().Matches(html).Count);
        Assert.Contains("<title id=\"keys-title\">The four keys against DORA&#39;s performance bands</title>", html);
        Assert.Contains("Change failure rate: 33.3%, High", html);
        Assert.Contains("<th scope=\"row\">Lead time for changes (median)</th>", html);
    }

    /// <summary>Anything a browser would fetch: src, href, url(), @import.</summary>
    [GeneratedRegex(@"\s(src|href)=|url\(|@import")]
    private static partial Regex ExternalReference();

    [GeneratedRegex("<svg [^>]*role=\"img\"[^>]*aria-labelledby=\"[a-z-]+-title [a-z-]+-desc\"")]
    private static partial Regex SvgChart();
}
