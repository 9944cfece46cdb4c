namespace Depoxy.Build.Engine;

public static class HelpText
{
    public const string Logo = "Depoxy build · NUKE-style targets · ./build.sh --help lists them";

    public static string Render(IReadOnlyList<ExecutableTarget> targets, IReadOnlyList<BuildParameter> parameters)
    {
        var lines = new List<string> { "Targets (with their direct dependencies):", "" };
        var listed = targets.Where(t => t.Listed).ToList();
        var labels = listed.ToDictionary(t => t, t => t.Name + (t.IsDefault ? " (default)" : "") +
                                                      (t.DependsOn.Count > 0 ? " -> " + string.Join(", ", t.DependsOn.Select(d => d.Name)) : ""));
        var width = labels.Values.Max(l => l.Length) + 3;
        lines.AddRange(listed.Select(t => "  " + labels[t].PadRight(width) + (t.Description ?? "") + (t.Skippable ? "" : " (never skipped)")));

        lines.AddRange(["", "Parameters:", ""]);
        var options = parameters.Select(p => (Option: "--" + p.Option + (p.IsSecret ? " (secret)" : ""),
                Text: (p.Description ?? "") + (p.ValueHint.Length > 0 ? $" [{p.ValueHint}]" : "")))
            .Concat(BuiltIns)
            .ToList();
        var optionWidth = options.Max(o => o.Option.Length) + 3;
        lines.AddRange(options.Select(o => "  " + o.Option.PadRight(optionWidth) + o.Text));
        lines.AddRange(["", "Parameters also come from the environment (STAGE or NUKE_STAGE), .nuke/parameters.json and .nuke/parameters.<profile>.json."]);
        return string.Join(Environment.NewLine, lines);
    }

    public static readonly IReadOnlyList<(string Option, string Text)> BuiltIns =
    [
        ("--help", "Shows this help"),
        ("--plan", "Prints the execution plan without running it"),
        ("--skip [targets]", "Skips the named targets, or all but the invoked ones when none is named"),
        ("--target <targets>", "Targets to run (same as naming them first)"),
        ("--root <dir>", "Repository root (default: the folder holding .nuke)"),
        ("--profile <names>", "Loads .nuke/parameters.<name>.json"),
        ("--verbosity <level>", "Quiet, Minimal, Normal or Verbose"),
        ("--no-logo", "Leaves out the logo line"),
    ];

    public static string RenderPlan(IReadOnlyList<ExecutableTarget> plan)
    {
        var lines = new List<string> { "Execution plan:", "" };
        var width = plan.Max(t => t.Name.Length) + 3;
        lines.AddRange(plan.Select((t, i) => $"  {i + 1,2}. {t.Name.PadRight(width)}{t.PlanReason}" +
                                             (t.Status == TargetStatus.Skipped ? $" — skipped ({t.SkipReason})" : "")));
        lines.AddRange(["", string.Join(" → ", plan.Select(t => t.Name))]);
        return string.Join(Environment.NewLine, lines);
    }
}
