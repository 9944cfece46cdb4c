namespace Depoxy.Deploy.Metrics;

public enum Band { Low, Medium, High, Elite }

/// <summary>One key's performance bands: the lower bound of High, Medium... in the key's unit, best band first.</summary>
public sealed record KeyBands(string Key, FigureUnit Unit, bool HigherIsBetter, IReadOnlyList<(Band Band, double Limit, string Label)> Limits)
{
    public Band Of(double value) => Limits.First(l => HigherIsBetter ? value >= l.Limit : value <= l.Limit).Band;
}

/// <summary>
/// DORA's published performance bands for the four keys, as dora-team/fourkeys buckets them (daily / weekly / monthly
/// deployments; one day / one week / one month lead times; one hour / one day / one week to recover; change failure
/// rates up to 15%, 45% and 60%). Rework rate, added in 2024, has no published bands.
/// </summary>
public static class DoraBands
{
    public static readonly KeyBands DeploymentFrequency = new("Deployment frequency", FigureUnit.PerDay, HigherIsBetter: true,
        [(Band.Elite, 1, "daily or more"), (Band.High, 1.0 / 7, "weekly or more"), (Band.Medium, 1.0 / 30, "monthly or more"), (Band.Low, 0, "less than monthly")]);

    public static readonly KeyBands LeadTime = new("Lead time for changes", FigureUnit.Hours, HigherIsBetter: false,
        [(Band.Elite, 24, "under a day"), (Band.High, 24 * 7, "under a week"), (Band.Medium, 24 * 30, "under a month"), (Band.Low, double.MaxValue, "a month or more")]);

    public static readonly KeyBands ChangeFailureRate = new("Change failure rate", FigureUnit.Ratio, HigherIsBetter: false,
        [(Band.Elite, 0.15, "15% or less"), (Band.High, 0.45, "45% or less"), (Band.Medium, 0.60, "60% or less"), (Band.Low, double.MaxValue, "over 60%")]);

    public static readonly KeyBands RecoveryTime = new("Failed deployment recovery time", FigureUnit.Hours, HigherIsBetter: false,
        [(Band.Elite, 1, "under an hour"), (Band.High, 24, "under a day"), (Band.Medium, 24 * 7, "under a week"), (Band.Low, double.MaxValue, "a week or more")]);

    /// <summary>The four keys with the figure the report places in their bands (the median for the two times).</summary>
    public static IReadOnlyList<(KeyBands Bands, Figure Figure)> Keys(DeliveryReport report) =>
    [
        (DeploymentFrequency, report.DeploymentFrequency),
        (LeadTime, report.LeadTimeMedian),
        (ChangeFailureRate, report.ChangeFailureRate),
        (RecoveryTime, report.RecoveryTime),
    ];
}
