namespace Depoxy.Deploy.Metrics;

public enum FigureUnit { PerDay, Hours, Ratio }

/// <summary>
/// One figure of the report: its value, or null when the window holds fewer than <see cref="Needed"/> releases of the
/// kind it rests on; <see cref="Releases"/> says how many it does rest on.
/// </summary>
public sealed record Figure(string Name, double? Value, FigureUnit Unit, int Releases, int Needed, string? Caveat = null, KeyBands? Bands = null)
{
    /// <summary>The DORA band the value falls in; null without a value or for a figure without published bands.</summary>
    public Band? Band => Bands is not null && Value is { } value ? Bands.Of(value) : null;

    public string ValueText => Value is not { } value
        ? $"too few releases (needs {Needed}, has {Releases})"
        : Unit switch
        {
            FigureUnit.PerDay => value >= 1 ? $"{value:0.##} per day" : $"{value * 7:0.##} per week",
            FigureUnit.Ratio => $"{value:0.#%}",
            _ => Duration(value),
        };

    public string BasisText => $"{Releases} release{(Releases == 1 ? "" : "s")}{(Caveat is null ? "" : "; " + Caveat)}";

    public static string Duration(double hours) =>
        hours < 1 ? $"{hours * 60:0} min" : hours < 48 ? $"{hours:0.#} h" : $"{hours / 24:0.#} days";
}

/// <summary>One attempt of the ledger as the figures read it.</summary>
public sealed class ReleaseFacts(ReleaseRecord record)
{
    public ReleaseRecord Record { get; } = record;

    /// <summary>A Deploy or Promote that reached the stage (not refused before its first write).</summary>
    public bool IsDeployment { get; internal set; }

    /// <summary>A deployment that failed, was rolled back by its own flow, or was later undone by a Rollback.</summary>
    public bool IsChangeFailure { get; internal set; }

    /// <summary>The first successful deployment of a new version after a change failure: made to fix it.</summary>
    public bool IsRework { get; internal set; }

    /// <summary>Commit to this release, for the first successful deployment of a commit on the stage.</summary>
    public TimeSpan? LeadTime { get; internal set; }
}

/// <summary>A failure that left the stage needing intervention, and the success that ended it (null while it lasts).</summary>
public sealed record Outage(DateTimeOffset Failed, DateTimeOffset? Recovered);

public sealed record DeliveryReport(string Stage, MetricsWindow Window, IReadOnlyList<ReleaseFacts> Releases, IReadOnlyList<Outage> Outages,
    Figure DeploymentFrequency, Figure LeadTimeMedian, Figure LeadTimeP90, Figure ChangeFailureRate, Figure RecoveryTime, Figure ReworkRate)
{
    public IReadOnlyList<Figure> Figures => [DeploymentFrequency, LeadTimeMedian, LeadTimeP90, ChangeFailureRate, RecoveryTime, ReworkRate];
}

/// <summary>
/// DORA's keys from a stage's release ledger and the commit times of the released commits. The ledger is read oldest
/// first, from its beginning, so what happened before the window (a version's first release, the live release a
/// rollback undoes) is known; the figures count only attempts inside the window.
/// </summary>
public static class DeliveryMetrics
{
    /// <summary>Fewer releases than this and a figure says so instead of a number.</summary>
    public const int MinimumReleases = 3;

    /// <summary>A 90th percentile of fewer values is just the largest one.</summary>
    public const int MinimumForP90 = 10;

    public static DeliveryReport Compute(string stage, IEnumerable<ReleaseRecord> ledger, IReadOnlyDictionary<string, DateTimeOffset> commitTimes,
        MetricsWindow window)
    {
        // Ledger keys sort by time; ties keep the ledger's order.
        var facts = ledger.Select((record, index) => (record, index)).OrderBy(x => x.record.When).ThenByDescending(x => x.index)
            .Select(x => new ReleaseFacts(x.record)).ToList();
        var outages = new List<Outage>();
        var releasedVersions = new HashSet<string>(StringComparer.Ordinal);
        var releasedCommits = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        ReleaseFacts? live = null;
        DateTimeOffset? brokenSince = null;
        var needsFix = false;
        var (missingCommit, skewed) = (0, 0);

        void Recover(DateTimeOffset when)
        {
            if (brokenSince is { } failed) outages.Add(new Outage(failed, when));
            brokenSince = null;
        }

        foreach (var fact in facts)
        {
            var record = fact.Record;
            // Refused attempts changed nothing, and neither did a release recorded as unchanged (a no-op Deploy).
            if (record.Outcome == ReleaseOutcome.Refused || record.Unchanged) continue;
            if (record.Kind == ReleaseLedger.RollbackKind)
            {
                if (record.Outcome == ReleaseOutcome.Succeeded)
                {
                    if (live is { IsDeployment: true, IsChangeFailure: false } undone)
                    {
                        undone.IsChangeFailure = true;
                        needsFix = true;
                        brokenSince ??= undone.Record.When;
                    }
                    Recover(record.When);
                    live = fact;
                }
                else if (record.Outcome == ReleaseOutcome.Failed) brokenSince ??= record.When;
                continue;
            }

            fact.IsDeployment = true;
            switch (record.Outcome)
            {
                case ReleaseOutcome.Failed:
                    fact.IsChangeFailure = needsFix = true;
                    brokenSince ??= record.When;
                    break;
                case ReleaseOutcome.RolledBack:
                    // The flow put the stage back itself: a change failure, but no outage to recover from.
                    fact.IsChangeFailure = needsFix = true;
                    break;
                case ReleaseOutcome.Succeeded:
                    Recover(record.When);
                    if (releasedVersions.Add(record.Version) && needsFix)
                    {
                        fact.IsRework = true;
                        needsFix = false;
                    }
                    if (record.Commit is { Length: > 0 } commit && releasedCommits.Add(commit) && window.Contains(record.When))
                    {
                        if (!commitTimes.TryGetValue(commit, out var committed)) missingCommit++;
                        else if (record.When < committed) skewed++;
                        else fact.LeadTime = record.When - committed;
                    }
                    live = fact;
                    break;
            }
        }
        if (brokenSince is { } stillBroken) outages.Add(new Outage(stillBroken, null));

        var inWindow = facts.Where(f => window.Contains(f.Record.When)).ToList();
        var deployments = inWindow.Where(f => f.IsDeployment).ToList();
        var successes = deployments.Where(f => f.Record.Outcome == ReleaseOutcome.Succeeded).ToList();
        var leadHours = inWindow.Where(f => f.LeadTime is not null).Select(f => f.LeadTime!.Value.TotalHours).Order().ToList();
        var leadCaveat = string.Join("; ", new[]
        {
            missingCommit > 0 ? $"{missingCommit} without its commit in this clone" : null,
            skewed > 0 ? $"{skewed} stamped before its commit (clock skew) left out" : null,
        }.OfType<string>()) is { Length: > 0 } caveat ? caveat : null;
        var windowOutages = outages.Where(o => window.Contains(o.Failed)).ToList();
        var recoveries = windowOutages.Where(o => o.Recovered is not null).Select(o => (o.Recovered!.Value - o.Failed).TotalHours).Order().ToList();
        var unrecovered = windowOutages.Count - recoveries.Count;

        return new DeliveryReport(stage, window, inWindow, windowOutages,
            DeploymentFrequency: Sized("Deployment frequency", successes.Count, () => successes.Count / Math.Max(window.Length.TotalDays, 1.0 / 24),
                FigureUnit.PerDay, DoraBands.DeploymentFrequency),
            LeadTimeMedian: Sized("Lead time for changes (median)", leadHours.Count, () => Median(leadHours), FigureUnit.Hours, DoraBands.LeadTime, leadCaveat),
            LeadTimeP90: Sized("Lead time for changes (p90)", leadHours.Count, () => NearestRank(leadHours, 0.9), FigureUnit.Hours, DoraBands.LeadTime, leadCaveat,
                MinimumForP90),
            ChangeFailureRate: Sized("Change failure rate", deployments.Count, () => (double)deployments.Count(f => f.IsChangeFailure) / deployments.Count,
                FigureUnit.Ratio, DoraBands.ChangeFailureRate),
            RecoveryTime: Sized("Failed deployment recovery time (median)", recoveries.Count, () => Median(recoveries), FigureUnit.Hours, DoraBands.RecoveryTime,
                unrecovered > 0 ? $"{unrecovered} failure{(unrecovered == 1 ? "" : "s")} not yet recovered" : null),
            ReworkRate: Sized("Rework rate", successes.Count, () => (double)successes.Count(f => f.IsRework) / successes.Count, FigureUnit.Ratio, bands: null));
    }

    private static Figure Sized(string name, int releases, Func<double> value, FigureUnit unit, KeyBands? bands, string? caveat = null,
        int needed = MinimumReleases) =>
        new(name, releases >= needed ? value() : null, unit, releases, needed, caveat, bands);

    /// <summary>The middle value, or the mean of the two middle ones.</summary>
    public static double Median(IReadOnlyList<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;

    /// <summary>The smallest value with at least <paramref name="p"/> of the values at or below it.</summary>
    public static double NearestRank(IReadOnlyList<double> sorted, double p) => sorted[(int)Math.Ceiling(p * sorted.Count - 1e-9) - 1];
}
