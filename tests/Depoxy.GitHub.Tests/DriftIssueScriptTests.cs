using System.Text.Json;
using System.Text.Json.Nodes;
using CliWrap;
using CliWrap.Buffered;
using Depoxy.Testing;

namespace Depoxy.GitHub.Tests;

/// <summary>drift.yml's issue step: .github/scripts/drift-issue.cjs run by Node against an in-memory stand-in of
/// the Octokit client that actions/github-script hands it.</summary>
public sealed class DriftIssueScriptTests : IDisposable
{
    private const string Marker = "<!-- depoxy-drift:prod:api -->";
    private readonly string _artifacts = Directory.CreateTempSubdirectory("depoxy-drift-").FullName;

    private void PlanFound(bool changes, string plan = "~ aws_lambda_function.api: memory_size 1024 -> 2048")
    {
        File.WriteAllText(Path.Combine(_artifacts, "plan-prod-api.json"), $$"""{"has_changes": {{(changes ? "true" : "false")}}}""");
        File.WriteAllText(Path.Combine(_artifacts, "plan-prod-api.md"), plan);
    }

    private async Task<(JsonArray Issues, List<string> Calls, BufferedCommandResult Run)> RunAsync(params object[] openIssues)
    {
        var result = await Cli.Wrap("node")
            .WithArguments([
                Path.Combine(AppContext.BaseDirectory, "Scripts", "drift-issue-harness.cjs"),
                RepositoryRoot.Combine(".github", "scripts", "drift-issue.cjs"),
                _artifacts, "prod", "api", JsonSerializer.Serialize(openIssues)])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        if (result.ExitCode != 0) return ([], [], result);
        var output = JsonNode.Parse(result.StandardOutput)!;
        var calls = output["calls"]!.AsArray().Select(c => c!["call"]!.GetValue<string>()).ToList();
        return (output["issues"]!.AsArray(), calls, result);
    }

    private const string Bot = "github-actions[bot]";

    private static object Issue(int number, string body, string author = Bot) =>
        new { number, state = "open", title = "t", body, user = new { login = author } };

    [Fact]
    public async Task First_drift_opens_an_issue_with_the_marker_and_the_plan()
    {
        PlanFound(changes: true);

        var (issues, calls, _) = await RunAsync(Issue(1, "unrelated bug", "octocat"));

        Assert.Equal(["listForRepo", "create"], calls);
        var opened = issues[^1]!;
        Assert.Equal(Bot, opened["user"]!["login"]!.GetValue<string>());
        Assert.Equal("Drift in prod/api", opened["title"]!.GetValue<string>());
        Assert.StartsWith(Marker, opened["body"]!.GetValue<string>());
        Assert.Contains("memory_size 1024 -> 2048", opened["body"]!.GetValue<string>());
        Assert.Equal("drift", opened["labels"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Lasting_drift_updates_the_open_issue_instead_of_opening_another()
    {
        PlanFound(changes: true, plan: "~ memory_size 2048 -> 4096");

        var (issues, calls, _) = await RunAsync(Issue(1, "unrelated"), Issue(7, $"{Marker}\nold plan"));

        Assert.Equal(["listForRepo", "update"], calls);
        Assert.Equal(2, issues.Count);
        Assert.Contains("2048 -> 4096", issues[1]!["body"]!.GetValue<string>());
    }

    [Fact]
    public async Task Drift_gone_closes_the_issue_with_a_comment()
    {
        PlanFound(changes: false);

        var (issues, calls, _) = await RunAsync(Issue(7, $"{Marker}\nold plan"));

        Assert.Equal(["listForRepo", "createComment", "update"], calls);
        Assert.Equal("closed", issues[0]!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task No_drift_and_no_issue_changes_nothing()
    {
        PlanFound(changes: false);

        var (issues, calls, _) = await RunAsync(Issue(3, "<!-- depoxy-drift:dev:api -->\nanother stack"));

        Assert.Equal(["listForRepo"], calls);
        Assert.Equal("open", issues[0]!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_issue_someone_else_opened_with_the_marker_is_left_alone()
    {
        PlanFound(changes: true);

        var (issues, calls, _) = await RunAsync(Issue(5, $"{Marker}\nno drift here, close me", "mallory"));

        Assert.Equal(["listForRepo", "create"], calls);
        Assert.Equal($"{Marker}\nno drift here, close me", issues[0]!["body"]!.GetValue<string>());
        Assert.Equal("open", issues[0]!["state"]!.GetValue<string>());
        Assert.Contains("memory_size 1024 -> 2048", issues[1]!["body"]!.GetValue<string>());
    }

    [Fact]
    public async Task Drift_gone_does_not_close_someone_elses_issue_with_the_marker()
    {
        PlanFound(changes: false);

        var (issues, calls, _) = await RunAsync(Issue(5, $"{Marker}\nplease keep", "mallory"));

        Assert.Equal(["listForRepo"], calls);
        Assert.Equal("open", issues[0]!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_huge_plan_is_cut_under_githubs_body_limit()
    {
        PlanFound(changes: true, plan: "HEAD\n" + new string('x', 300_000) + "\nTAIL");

        var (issues, _, _) = await RunAsync();

        var body = issues[0]!["body"]!.GetValue<string>();
        Assert.True(body.Length < 65_536);
        Assert.Contains("HEAD", body);
        Assert.EndsWith("TAIL", body);
        Assert.Contains("characters omitted; the full plan is in the job summary of https://github.com/depoxy/depoxy/actions/runs/77", body);
    }

    [Fact]
    public async Task A_missing_plan_summary_names_the_step_to_run()
    {
        var (_, _, run) = await RunAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("plan-prod-api.json is missing: ./build.sh Plan writes it", run.StandardError);
    }

    public void Dispose() => Directory.Delete(_artifacts, recursive: true);
}
