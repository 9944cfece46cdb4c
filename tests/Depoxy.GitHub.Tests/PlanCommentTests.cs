using System.Text;
using System.Text.RegularExpressions;

namespace Depoxy.GitHub.Tests;

public sealed class PlanCommentTests
{
    private const string RunUrl = "https://github.com/depoxy/depoxy/actions/runs/42";

    /// <summary>About 200 kB of plan: a diff fence of numbered resource lines, then terraform's summary line.</summary>
    private static string LargePlan()
    {
        var plan = new StringBuilder("Terraform will perform the following actions:\n\n```diff\n");
        for (var i = 0; plan.Length < 200_000; i++)
            plan.Append($"+ resource \"aws_s3_object\" \"asset_{i:D5}\" {{ key = \"assets/{i:D5}.js\" }}\n");
        plan.Append("```\n\nPlan: 4000 to add, 0 to change, 0 to destroy.\n");
        return plan.ToString();
    }

    [Fact]
    public void A_small_plan_is_kept_whole_under_the_marker()
    {
        var body = PlanComment.Render("dev", "api", "No changes. Your infrastructure matches the configuration.", RunUrl);

        Assert.StartsWith("<!-- depoxy-plan:dev:api -->\n### Terraform plan: dev/api\n", body);
        Assert.EndsWith("No changes. Your infrastructure matches the configuration.", body);
    }

    [Fact]
    public void A_200_kB_plan_keeps_head_and_tail_with_a_note_between_under_githubs_limit()
    {
        var plan = LargePlan();

        var body = PlanComment.Render("prod", "www", plan, RunUrl);

        Assert.True(plan.Length > 200_000);
        Assert.InRange(body.Length, 60_000, 65_535);
        Assert.Contains("Terraform will perform the following actions:\n\n```diff\n+ resource \"aws_s3_object\" \"asset_00000\"", body);
        Assert.EndsWith("Plan: 4000 to add, 0 to change, 0 to destroy.\n", body);
        var note = Regex.Match(body, @"\n> \*\*([\d,]+) characters of the plan are omitted here to fit GitHub's comment limit; the full plan is in the job summary of (\S+)\.\*\*\n\n");
        Assert.True(note.Success, "no truncation note");
        Assert.Equal(RunUrl, note.Groups[2].Value);

        // The diff fence the head leaves open is closed before the note and reopened after it.
        var header = "<!-- depoxy-plan:prod:www -->\n### Terraform plan: prod/www\n\n";
        Assert.StartsWith(header, body);
        var head = body[header.Length..note.Index];
        Assert.EndsWith("\n```\n", head);
        head = head[..^"```\n".Length];
        var tail = body[(note.Index + note.Length)..];
        Assert.StartsWith("```diff\n", tail);
        tail = tail["```diff\n".Length..];
        Assert.StartsWith(head, plan);
        Assert.EndsWith(tail, plan);
        Assert.Equal(plan.Length, head.Length + tail.Length + int.Parse(note.Groups[1].Value.Replace(",", "")));
    }

    [Fact]
    public void Cuts_fall_on_line_ends()
    {
        var plan = LargePlan();

        var body = PlanComment.Render("dev", "app", plan, RunUrl);

        var resourceLines = body.Split('\n').Where(l => l.StartsWith("+ resource")).ToList();
        Assert.All(resourceLines, line => Assert.Matches("""^\+ resource "aws_s3_object" "asset_\d{5}" \{ key = "assets/\d{5}\.js" \}$""", line));
        Assert.True(resourceLines.Count > 500);
    }

    [Fact]
    public void Truncation_outside_a_fence_adds_no_fence()
    {
        var text = string.Join('\n', Enumerable.Range(0, 10_000).Select(i => $"line {i}"));

        var cut = HeadTailTruncator.Truncate(text, 1_000, omitted => $"[{omitted} omitted]");

        Assert.True(cut.Length <= 1_000);
        Assert.StartsWith("line 0\nline 1\n", cut);
        Assert.EndsWith("line 9999", cut);
        Assert.DoesNotContain("```", cut);
        Assert.Matches(@"\n\n\[\d+ omitted\]\n\n", cut);
    }

    [Fact]
    public void One_huge_line_is_cut_mid_line_without_splitting_a_surrogate_pair()
    {
        var text = string.Concat(Enumerable.Repeat("a😀", 50_000));

        var cut = HeadTailTruncator.Truncate(text, 10_001, omitted => $"[{omitted} omitted]");

        Assert.True(cut.Length <= 10_001);
        Assert.DoesNotContain(cut.Select((c, i) => (c, i)), x =>
            char.IsHighSurrogate(x.c) && (x.i + 1 >= cut.Length || !char.IsLowSurrogate(cut[x.i + 1])));
        Assert.DoesNotContain(cut.Select((c, i) => (c, i)), x =>
            char.IsLowSurrogate(x.c) && (x.i == 0 || !char.IsHighSurrogate(cut[x.i - 1])));
    }
}
