using Spectre.Console;
using Spectre.Console.Rendering;

namespace Depoxy.Deploy;

/// <summary>The ledger as a table: a Spectre.Console one for terminals, plain or Markdown text for CI logs and step summaries.</summary>
public static class ReleasesTable
{
    public static readonly string[] Columns = ["When (UTC)", "Kind", "Version", "Lambda", "Outcome", "Who", "Commit", "Run", "Reason"];

    public static Table Build(IEnumerable<ReleaseRecord> records)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in Columns) table.AddColumn(column);
        foreach (var record in records)
            table.AddRow(Cells(record).Select((text, i) => (IRenderable)(i == 4 ? new Markup($"[{Colour(record.Outcome)}]{Markup.Escape(text)}[/]") : new Text(text))).ToArray());
        return table;
    }

    public static string ToPlainText(IEnumerable<ReleaseRecord> records)
    {
        var rows = records.Select(Cells).ToList();
        var widths = Columns.Select((c, i) => rows.Select(r => r[i].Length).Append(c.Length).Max()).ToArray();
        string Line(IReadOnlyList<string> cells) => string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd();
        return string.Join(Environment.NewLine, new[] { Line(Columns), Line(widths.Select(w => new string('-', w)).ToArray()) }.Concat(rows.Select(Line)));
    }

    public static string ToMarkdown(IEnumerable<ReleaseRecord> records)
    {
        static string Escape(string s) => s.Replace("|", "\\|");
        var lines = new List<string> { "| " + string.Join(" | ", Columns) + " |", "|" + string.Concat(Columns.Select(_ => " --- |")) };
        lines.AddRange(records.Select(r => "| " + string.Join(" | ", Cells(r).Select(Escape)) + " |"));
        return string.Join(Environment.NewLine, lines);
    }

    private static string[] Cells(ReleaseRecord r) =>
    [
        r.When.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss"), r.Kind, r.Version, r.LambdaVersion ?? "-", r.Unchanged ? $"{r.Outcome} (unchanged)" : r.Outcome.ToString(), r.Who,
        r.Commit is { Length: > 8 } c ? c[..8] : r.Commit ?? "-", r.RunUrl ?? "-", r.Reason ?? "",
    ];

    private static string Colour(ReleaseOutcome outcome) => outcome switch
    {
        ReleaseOutcome.Succeeded => "green",
        ReleaseOutcome.RolledBack => "yellow",
        ReleaseOutcome.Refused => "grey",
        _ => "red",
    };
}
