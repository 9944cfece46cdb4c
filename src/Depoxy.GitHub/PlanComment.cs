using System.Globalization;

namespace Depoxy.GitHub;

/// <summary>The sticky pull-request comment of one stage and stack's plan.</summary>
public static class PlanComment
{
    /// <summary>GitHub rejects comment bodies of 65,536 characters or more.</summary>
    public const int MaxLength = 65_535;

    public static string Marker(string stage, string stack) => $"<!-- depoxy-plan:{stage}:{stack} -->";

    public static string Title(string stage, string stack) => $"Terraform plan: {stage}/{stack}";

    /// <summary>The comment body: marker, title and the plan, head-and-tail truncated to fit under GitHub's limit.</summary>
    public static string Render(string stage, string stack, string planMarkdown, string? runUrl)
    {
        var header = $"{Marker(stage, stack)}\n### {Title(stage, stack)}\n\n";
        var where = runUrl is null ? "the job summary" : $"the job summary of {runUrl}";
        var plan = HeadTailTruncator.Truncate(planMarkdown.Replace("\r\n", "\n"), MaxLength - header.Length,
            omitted => $"> **{omitted.ToString("N0", CultureInfo.InvariantCulture)} characters of the plan are omitted here to fit GitHub's comment limit; the full plan is in {where}.**");
        return header + plan;
    }
}
