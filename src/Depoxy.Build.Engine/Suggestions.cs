namespace Depoxy.Build.Engine;

public static class Suggestions
{
    /// <summary>The candidate closest to <paramref name="input"/> by edit distance, if it is close enough to be a typo.</summary>
    public static string? Closest(string input, IEnumerable<string> candidates)
    {
        var best = candidates
            .Select(c => (Candidate: c, Distance: Distance(input.ToLowerInvariant(), c.ToLowerInvariant())))
            .OrderBy(x => x.Distance)
            .FirstOrDefault();
        return best.Candidate is not null && best.Distance <= Math.Max(2, input.Length / 3) ? best.Candidate : null;
    }

    /// <summary>Always names the nearest candidate: as a likely typo when close, otherwise as the nearest there is.</summary>
    public static string Nearest(string input, IEnumerable<string> candidates, string prefix = "")
    {
        var list = candidates.ToList();
        if (Closest(input, list) is { } close) return $" Did you mean '{prefix}{close}'?";
        var nearest = list.OrderBy(c => Distance(input.ToLowerInvariant(), c.ToLowerInvariant())).FirstOrDefault();
        return nearest is null ? "" : $" The nearest is '{prefix}{nearest}'.";
    }

    public static string DidYouMean(string input, IEnumerable<string> candidates) =>
        Closest(input, candidates) is { } closest ? $" Did you mean '{closest}'?" : "";

    // Levenshtein distance; small enough not to warrant a package.
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}
