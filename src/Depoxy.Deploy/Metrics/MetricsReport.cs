using System.Globalization;
using System.Text;
using static System.Net.WebUtility;

namespace Depoxy.Deploy.Metrics;

/// <summary>
/// The report as Markdown (job summary) and as one self-contained HTML page: inline CSS and hand-written SVG, nothing
/// fetched at view time. The charts are a few bars and bands, so writing their SVG keeps each one's title, description
/// and colours under our control (what accessibility needs) without a plotting library and its native renderer.
/// </summary>
public static class MetricsReport
{
    private const string Ink = "#1f2328";
    private const string Muted = "#59636e";

    /// <summary>Outcome colours, each at least 3:1 against white, with the legend saying them in words.</summary>
    private static readonly (ReleaseOutcome Outcome, string Colour)[] Outcomes =
        [(ReleaseOutcome.Succeeded, "#1a7f37"), (ReleaseOutcome.Failed, "#cf222e"), (ReleaseOutcome.RolledBack, "#9a6700"), (ReleaseOutcome.Refused, "#59636e")];

    private static readonly Dictionary<Band, string> BandFill = new()
    {
        [Band.Low] = "#ffebe9", [Band.Medium] = "#fff8c5", [Band.High] = "#dafbe1", [Band.Elite] = "#ddf4ff",
    };

    public static string Title(DeliveryReport report) => $"Delivery metrics of {report.Stage}";

    public static string WindowText(DeliveryReport report) =>
        $"{report.Window.Since.UtcDateTime:yyyy-MM-dd HH:mm} to {report.Window.Until.UtcDateTime:yyyy-MM-dd HH:mm} UTC, " +
        $"{report.Releases.Count} attempt{(report.Releases.Count == 1 ? "" : "s")} in the ledger";

    public static string BandText(Figure figure) => figure.Band?.ToString() ?? "-";

    public static string ToMarkdown(DeliveryReport report)
    {
        var lines = new List<string>
        {
            $"### {Title(report)}",
            "",
            WindowText(report) + ".",
            "",
            "| Figure | Value | DORA band | Rests on |",
            "| --- | --- | --- | --- |",
        };
        lines.AddRange(report.Figures.Select(f => $"| {f.Name} | {f.ValueText} | {BandText(f)} | {f.BasisText.Replace("|", "\\|")} |"));
        return string.Join(Environment.NewLine, lines);
    }

    public static string ToHtml(DeliveryReport report)
    {
        var html = new StringBuilder();
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{HtmlEncode(Title(report))}}</title>
            <style>
            body { font-family: system-ui, sans-serif; color: {{Ink}}; background: #fff; margin: 0 auto; max-width: 60rem; padding: 1rem 1.5rem; line-height: 1.45; }
            h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem; }
            table { border-collapse: collapse; width: 100%; }
            th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #d1d9e0; vertical-align: top; }
            .figures td:nth-child(2) { font-weight: 600; }
            .muted { color: {{Muted}}; }
            svg { max-width: 100%; height: auto; }
            </style>
            </head>
            <body>
            <main>
            <h1>{{HtmlEncode(Title(report))}}</h1>
            <p>{{HtmlEncode(WindowText(report))}}. Each figure says how many releases it rests on; with fewer than
            {{DeliveryMetrics.MinimumReleases}} (the 90th percentile: {{DeliveryMetrics.MinimumForP90}}) it says so instead of a number.</p>
            <section aria-labelledby="figures">
            <h2 id="figures">Figures</h2>
            <table class="figures">
            <thead><tr><th scope="col">Figure</th><th scope="col">Value</th><th scope="col">DORA band</th><th scope="col">Rests on</th></tr></thead>
            <tbody>

            """);
        foreach (var f in report.Figures)
            html.Append($"<tr><th scope=\"row\">{HtmlEncode(f.Name)}</th><td>{HtmlEncode(f.ValueText)}</td><td>{BandText(f)}</td><td>{HtmlEncode(f.BasisText)}</td></tr>\n");
        html.Append("</tbody>\n</table>\n</section>\n");
        Section(html, "keys", "The four keys against DORA's bands", KeysChart(report));
        Section(html, "releases", "Releases over time by outcome", ReleasesChart(report));
        Section(html, "lead-time", "Lead time per release", LeadTimeChart(report));
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Section(StringBuilder html, string id, string heading, string chart) =>
        html.Append($"<section aria-labelledby=\"{id}\">\n<h2 id=\"{id}\">{HtmlEncode(heading)}</h2>\n{chart}\n</section>\n");

    private static string Svg(string id, int width, int height, string title, string description, string body) =>
        $"""<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" aria-labelledby="{id}-title {id}-desc" font-family="system-ui, sans-serif" font-size="13" fill="{Ink}"><title id="{id}-title">{HtmlEncode(title)}</title><desc id="{id}-desc">{HtmlEncode(description)}</desc>{body}</svg>""";

    private static string Text(double x, double y, string text, string anchor = "start", string fill = Ink, string extra = "") =>
        $"""<text x="{N(x)}" y="{N(y)}" text-anchor="{anchor}" fill="{fill}"{extra}>{HtmlEncode(text)}</text>""";

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string KeysChart(DeliveryReport report)
    {
        const int left = 270, segment = 130, row = 56;
        var keys = DoraBands.Keys(report);
        var body = new StringBuilder();
        string[] order = ["Low", "Medium", "High", "Elite"];
        for (var i = 0; i < order.Length; i++) body.Append(Text(left + segment * i + segment / 2.0, 18, order[i], "middle", extra: " font-weight=\"600\""));
        var summary = new List<string>();
        for (var k = 0; k < keys.Count; k++)
        {
            var (bands, figure) = keys[k];
            var y = 30 + k * row;
            body.Append(Text(0, y + 24, bands.Key, extra: " font-weight=\"600\""));
            foreach (var (band, _, label) in bands.Limits)
            {
                var x = left + segment * (int)band;
                body.Append($"""<rect x="{x}" y="{y}" width="{segment - 4}" height="36" fill="{BandFill[band]}" stroke="#d1d9e0"/>""");
                body.Append(Text(x + segment / 2.0 - 2, y + 30, label, "middle", Muted, " font-size=\"11\""));
            }
            if (figure.Value is { } value)
            {
                var band = bands.Of(value);
                var centre = left + segment * (int)band + segment / 2.0 - 2;
                body.Append($"""<circle cx="{N(centre)}" cy="{y + 12}" r="6" fill="{Ink}"/>""");
                body.Append(Text(centre + 10, y + 16, figure.ValueText, extra: " font-weight=\"600\""));
                summary.Add($"{bands.Key}: {figure.ValueText}, {band}");
            }
            else
            {
                body.Append(Text(left + 4, y + 16, figure.ValueText, extra: " font-weight=\"600\""));
                summary.Add($"{bands.Key}: {figure.ValueText}");
            }
        }
        return Svg("keys", left + segment * 4, 30 + keys.Count * row, "The four keys against DORA's performance bands", string.Join(". ", summary) + ".", body.ToString());
    }

    private static string ReleasesChart(DeliveryReport report)
    {
        const int left = 40, top = 10, plotHeight = 180, width = 760, bottom = 60;
        var window = report.Window;
        var days = Math.Max(1, (int)Math.Ceiling(window.Length.TotalDays));
        var bucketDays = days <= 14 ? 1 : days <= 120 ? 7 : (int)Math.Ceiling(days / 20.0);
        var buckets = (int)Math.Ceiling(days / (double)bucketDays);
        var counts = new int[buckets, Outcomes.Length];
        foreach (var fact in report.Releases)
        {
            var bucket = Math.Clamp((int)((fact.Record.When - window.Since).TotalDays / bucketDays), 0, buckets - 1);
            counts[bucket, Array.FindIndex(Outcomes, o => o.Outcome == fact.Record.Outcome)]++;
        }
        var highest = Math.Max(1, Enumerable.Range(0, buckets).Max(b => Enumerable.Range(0, Outcomes.Length).Sum(o => counts[b, o])));
        var barWidth = (width - left) / (double)buckets;
        var body = new StringBuilder();
        body.Append($"""<line x1="{left}" y1="{top + plotHeight}" x2="{width}" y2="{top + plotHeight}" stroke="{Muted}"/>""");
        body.Append(Text(left - 6, top + 10, highest.ToString(CultureInfo.InvariantCulture), "end", Muted));
        body.Append(Text(left - 6, top + plotHeight, "0", "end", Muted));
        for (var b = 0; b < buckets; b++)
        {
            var x = left + b * barWidth;
            var stacked = 0;
            for (var o = 0; o < Outcomes.Length; o++)
            {
                if (counts[b, o] == 0) continue;
                var h = plotHeight * counts[b, o] / (double)highest;
                var y = top + plotHeight - plotHeight * stacked / (double)highest - h;
                var start = window.Since.AddDays(b * bucketDays).UtcDateTime;
                body.Append($"""<rect x="{N(x + 1)}" y="{N(y)}" width="{N(Math.Max(1, barWidth - 2))}" height="{N(h)}" fill="{Outcomes[o].Colour}"><title>{counts[b, o]} {Outcomes[o].Outcome} from {start:yyyy-MM-dd}</title></rect>""");
                stacked += counts[b, o];
            }
            if (b == 0 || b == buckets - 1 || b % Math.Max(1, buckets / 6) == 0)
                body.Append(Text(x + barWidth / 2, top + plotHeight + 16, window.Since.AddDays(b * bucketDays).UtcDateTime.ToString("MM-dd", CultureInfo.InvariantCulture), "middle", Muted, " font-size=\"11\""));
        }
        var legendX = left;
        foreach (var (outcome, colour) in Outcomes)
        {
            body.Append($"""<rect x="{legendX}" y="{top + plotHeight + 30}" width="12" height="12" fill="{colour}"/>""");
            body.Append(Text(legendX + 16, top + plotHeight + 41, outcome.ToString()));
            legendX += 130;
        }
        var totals = Outcomes.Select((o, i) => $"{Enumerable.Range(0, buckets).Sum(b => counts[b, i])} {o.Outcome}");
        var per = bucketDays == 1 ? "day" : bucketDays == 7 ? "week" : $"{bucketDays} days";
        return Svg("releases", width, top + plotHeight + bottom, $"Release attempts per {per} by outcome",
            $"{report.Releases.Count} attempts: {string.Join(", ", totals)}.", body.ToString());
    }

    private static string LeadTimeChart(DeliveryReport report)
    {
        var timed = report.Releases.Where(f => f.LeadTime is not null).ToList();
        if (timed.Count == 0) return "<p>No release in the window has a lead time: none shipped a commit for the first time with its commit time known.</p>";
        const int left = 60, top = 10, plotHeight = 180, width = 760;
        var hours = timed.Select(f => f.LeadTime!.Value.TotalHours).ToList();
        var highest = Math.Max(hours.Max(), 1.0 / 60);
        var barWidth = (width - left) / (double)timed.Count;
        var body = new StringBuilder();
        body.Append($"""<line x1="{left}" y1="{top + plotHeight}" x2="{width}" y2="{top + plotHeight}" stroke="{Muted}"/>""");
        body.Append(Text(left - 6, top + 10, Figure.Duration(highest), "end", Muted, " font-size=\"11\""));
        body.Append(Text(left - 6, top + plotHeight, "0", "end", Muted));
        for (var i = 0; i < timed.Count; i++)
        {
            var h = Math.Max(1, plotHeight * hours[i] / highest);
            var record = timed[i].Record;
            var text = Figure.Duration(hours[i]);
            body.Append($"""<rect x="{N(left + i * barWidth + 1)}" y="{N(top + plotHeight - h)}" width="{N(Math.Max(1, barWidth - 2))}" height="{N(h)}" fill="#0969da"><title>{HtmlEncode(record.Version)}, {record.When.UtcDateTime:yyyy-MM-dd HH:mm}: {text}</title></rect>""");
            if (i == 0 || i == timed.Count - 1 || i % Math.Max(1, timed.Count / 6) == 0)
                body.Append(Text(left + (i + 0.5) * barWidth, top + plotHeight + 16, record.When.UtcDateTime.ToString("MM-dd", CultureInfo.InvariantCulture), "middle", Muted, " font-size=\"11\""));
        }
        return Svg("lead", width, top + plotHeight + 30, "Lead time for changes per release, commit to release",
            $"{timed.Count} releases, from {Figure.Duration(hours.Min())} to {Figure.Duration(hours.Max())}; median {report.LeadTimeMedian.ValueText}.",
            body.ToString());
    }
}
