namespace Depoxy.GitHub.Tests;

public sealed class WorkflowLintTests
{
    [Fact]
    public void The_four_workflows_exist()
    {
        var names = Workflows.All.Select(Path.GetFileName).ToList();
        Assert.Equal(["deploy-dev.yml", "drift.yml", "promote-prod.yml", "pull-request.yml"], names);
    }

    [Fact]
    public async Task Actionlint_finds_nothing_in_any_workflow()
    {
        var findings = (await Actionlint.WorkflowsAndFixture.Value).Where(f => Workflows.All.Contains(f.File)).ToList();

        Assert.True(findings.Count == 0, "actionlint:\n" + string.Join('\n', findings));
    }

    [Fact]
    public async Task Actionlint_reports_a_broken_workflow()
    {
        var findings = (await Actionlint.WorkflowsAndFixture.Value).Where(f => f.File == Workflows.Fixture("broken-workflow.yml")).ToList();

        Assert.Contains(findings, f => f.Kind == "job-needs" && f.Message.Contains("missing-job"));
        Assert.Contains(findings, f => f.Kind == "expression" && f.Line == 8);
    }

    [Fact]
    public async Task Actionlint_knows_the_vars_context_and_still_rejects_an_unknown_one()
    {
        var findings = (await Actionlint.WorkflowsAndFixture.Value).Where(f => f.File == Workflows.Fixture("vars-workflow.yml")).ToList();

        var finding = Assert.Single(findings);
        Assert.Equal((11, "expression"), (finding.Line, finding.Kind));
        Assert.Contains("undefined variable \"var\"", finding.Message);
    }

    [Fact]
    public void Every_third_party_action_is_pinned_to_a_full_commit_sha_with_its_version()
    {
        var uses = Workflows.All
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (file, line: line.Trim(), number: i + 1)))
            .Where(l => l.line.StartsWith("- uses:") || l.line.StartsWith("uses:"))
            .ToList();

        Assert.NotEmpty(uses);
        Assert.All(uses, u => Assert.Matches(@"uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$", u.line));
    }
}
