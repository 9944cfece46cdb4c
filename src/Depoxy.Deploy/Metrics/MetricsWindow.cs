using System.Globalization;
using System.Text.RegularExpressions;
using Depoxy.Build.Engine;

namespace Depoxy.Deploy.Metrics;

/// <summary>The span the figures cover: from <see cref="Since"/> to <see cref="Until"/> (now).</summary>
public sealed partial record MetricsWindow(DateTimeOffset Since, DateTimeOffset Until)
{
    /// <summary>DORA's reports and fourkeys look back three months.</summary>
    public static readonly TimeSpan DefaultLength = TimeSpan.FromDays(90);

    public TimeSpan Length => Until - Since;

    public bool Contains(DateTimeOffset when) => when >= Since && when <= Until;

    /// <summary>
    /// <paramref name="since"/> as a duration back from <paramref name="now"/> (<c>90d</c>, <c>6w</c>, <c>12h</c>) or a
    /// date (<c>2026-01-31</c>, or with a time and offset); the last 90 days when null.
    /// </summary>
    public static MetricsWindow Parse(string? since, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(since)) return new(now - DefaultLength, now);
        if (Duration().Match(since.Trim()) is { Success: true } duration)
        {
            var count = int.Parse(duration.Groups[1].Value, CultureInfo.InvariantCulture);
            var length = duration.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(count),
                "d" => TimeSpan.FromDays(count),
                _ => TimeSpan.FromDays(7 * count),
            };
            if (length > TimeSpan.Zero) return new(now - length, now);
        }
        else if (DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) && date < now)
            return new(date, now);
        throw new UsageException($"--since '{since}' is neither a past date (2026-01-31) nor a positive duration (90d, 6w, 12h): give one of those.");
    }

    [GeneratedRegex("^([0-9]{1,5})([hdw])$")]
    private static partial Regex Duration();
}
