using System.Text;

namespace Depoxy.Terraform;

/// <summary>The plan summary as Markdown, for artifacts/plan-&lt;stage&gt;-&lt;stack&gt;.md and the job summary.</summary>
public static class PlanMarkdown
{
    /// <param name="behindDev">Modules this (prod) stack pins below the version dev runs, one line each.</param>
    public static string Render(TerraformStack stack, PlanSummary summary, PlanSeal seal, IReadOnlyList<string>? behindDev = null)
    {
        var md = new StringBuilder();
        md.AppendLine($"### Terraform plan `{stack}`");
        md.AppendLine();
        md.AppendLine("| Create | Update | Replace | Delete |");
        md.AppendLine("|---:|---:|---:|---:|");
        md.AppendLine($"| {summary.Create} | {summary.Update} | {summary.Replace} | {summary.Delete} |");
        md.AppendLine();
        if (!summary.HasChanges) md.AppendLine("No changes.").AppendLine();

        var changes = summary.Changes.Where(c => c.Kind != ChangeKind.Read).ToList();
        if (changes.Count > 0)
        {
            md.AppendLine("| Action | Resource |");
            md.AppendLine("|---|---|");
            foreach (var change in changes.OrderBy(c => c.Kind).ThenBy(c => c.Address, StringComparer.Ordinal))
                md.AppendLine($"| {change.Kind.ToString().ToLowerInvariant()} | `{change.Address}` |");
            md.AppendLine();
        }

        if (summary.OutputChanges.Count > 0)
            md.AppendLine("Output changes: " + string.Join(", ", summary.OutputChanges.Select(o => $"`{o}`"))).AppendLine();

        if (summary.Drift.Count > 0)
        {
            md.AppendLine($"**Drift:** {summary.Drift.Count} resource(s) changed outside Terraform since the last apply:");
            foreach (var drift in summary.Drift)
            {
                md.AppendLine(drift.Action == "delete" ? $"- `{drift.Address}`: deleted outside Terraform" : $"- `{drift.Address}`:");
                foreach (var attribute in drift.Attributes) md.AppendLine($"  - `{attribute.Path}`: `{attribute.Old}` → `{attribute.New}`");
            }
            md.AppendLine();
        }

        if (behindDev is { Count: > 0 })
        {
            md.AppendLine($"**Modules behind dev:** {stack} runs {behindDev.Count} module(s) at an older version than dev:");
            foreach (var module in behindDev) md.AppendLine($"- {module}");
            md.AppendLine();
        }

        md.AppendLine($"Plan file sha256 `{seal.Sha256}`, commit `{seal.Commit}`, version `{seal.Version}`, terraform {summary.TerraformVersion}.");
        return md.ToString();
    }
}
