using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Depoxy.Build.Engine;

/// <summary>Target headers and NUKE's end-of-run summary table; on GitHub Actions also groups and a step-summary table.</summary>
public static class Summary
{
    private const string Rule = "═══════════════════════════════════════════════════════════════";
    private static readonly List<string> EpilogueLines = [];

    /// <summary>A line printed after the summary table, last of all (e.g. the test counts CI reads).</summary>
    public static void AddEpilogue(string line)
    {
        lock (EpilogueLines) EpilogueLines.Add(line);
    }

    public static void Header(string target)
    {
        if (GitHubActions.IsRunning)
        {
            Log.Always("::group::" + target);
            return;
        }
        Log.Always("");
        Log.Always(Rule);
        Log.Always(target);
        Log.Always(Rule);
    }

    public static void Footer(string target)
    {
        if (GitHubActions.IsRunning) Log.Always("::endgroup::");
    }

    /// <param name="interruptedBy">The signal that interrupted the run ("SIGINT"), if one did.</param>
    public static void Write(IReadOnlyList<ExecutableTarget> plan, TimeSpan total, string? interruptedBy = null)
    {
        var table = new Table().Border(TableBorder.Simple).HideRowSeparators();
        table.AddColumn("Target").AddColumn("Status").AddColumn(new TableColumn("Duration").RightAligned()).AddColumn("");
        foreach (var target in plan)
            table.AddRow(Markup.Escape(target.Name), StatusText(target), Duration(target), Markup.Escape(NoteText(target)));
        table.AddEmptyRow();
        table.AddRow("Total", "", Duration(total), "");
        Log.Always("");
        Log.Always(Render(table));

        var failed = plan.Any(t => t.Status == TargetStatus.Failed);
        var when = DateTime.Now.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        Log.Always(interruptedBy is not null ? $"Build interrupted by {interruptedBy} on {when}."
            : failed ? $"Build failed on {when}. (╯°□°）╯︵ ┻━┻"
            : $"Build succeeded on {when}. ＼（＾ᴗ＾）／");

        if (GitHubActions.IsRunning) GitHubActions.AppendToStepSummary(Markdown(plan, total));
        lock (EpilogueLines)
        {
            foreach (var line in EpilogueLines) Log.Always(line);
            EpilogueLines.Clear();
        }
    }

    public static string Markdown(IReadOnlyList<ExecutableTarget> plan, TimeSpan total)
    {
        var lines = new List<string> { "| Target | Status | Duration | Note |", "|---|---|---:|---|" };
        lines.AddRange(plan.Select(t => $"| {t.Name} | {t.Status} | {Duration(t)} | {NoteText(t).Replace("|", "\\|")} |"));
        lines.Add($"| **Total** | | {Duration(total)} | |");
        return string.Join(Environment.NewLine, lines);
    }

    private static string StatusText(ExecutableTarget target) => target.Status.ToString();

    private static string NoteText(ExecutableTarget target) => target.Status switch
    {
        TargetStatus.Skipped => target.SkipReason ?? "",
        TargetStatus.Failed or TargetStatus.Aborted => target.Note ?? "",
        _ => target.Note ?? "",
    };

    private static string Duration(ExecutableTarget target) =>
        target.Status is TargetStatus.Succeeded or TargetStatus.Failed or TargetStatus.Aborted ? Duration(target.Duration) : "";

    private static string Duration(TimeSpan span) =>
        span.TotalHours >= 1 ? span.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : span.ToString(@"m\:ss", CultureInfo.InvariantCulture);

    public static string Render(IRenderable renderable)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(writer),
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 120;
        console.Write(renderable);
        return string.Join(Environment.NewLine, writer.ToString().TrimEnd().Split('\n').Select(line => line.TrimEnd()));
    }
}
