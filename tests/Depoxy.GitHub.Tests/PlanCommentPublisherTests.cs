using System.Text;

namespace Depoxy.GitHub.Tests;

[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment;

/// <summary>Runs the publisher as the Plan target does in a GitHub Actions job, from the job's environment.</summary>
[Collection(nameof(ProcessEnvironment))]
public sealed class PlanCommentPublisherTests : IDisposable
{
    private static readonly string[] Variables =
        ["GITHUB_ACTIONS", "GITHUB_API_URL", "GITHUB_REPOSITORY", "GITHUB_TOKEN", "GITHUB_EVENT_PATH", "GITHUB_STEP_SUMMARY",
         "GITHUB_SERVER_URL", "GITHUB_RUN_ID"];

    private readonly Dictionary<string, string?> _saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
    private readonly string _folder = Directory.CreateTempSubdirectory("depoxy-github-").FullName;
    private readonly GitHubApiStandIn _github = new();

    public PlanCommentPublisherTests()
    {
        Environment.SetEnvironmentVariable("GITHUB_ACTIONS", "true");
        Environment.SetEnvironmentVariable("GITHUB_API_URL", _github.ApiUrl.ToString());
        Environment.SetEnvironmentVariable("GITHUB_REPOSITORY", GitHubApiStandIn.Repository);
        Environment.SetEnvironmentVariable("GITHUB_TOKEN", GitHubApiStandIn.Token);
        Environment.SetEnvironmentVariable("GITHUB_SERVER_URL", "https://github.com");
        Environment.SetEnvironmentVariable("GITHUB_RUN_ID", "4242");
        Environment.SetEnvironmentVariable("GITHUB_STEP_SUMMARY", SummaryFile);
        Environment.SetEnvironmentVariable("GITHUB_EVENT_PATH", null);
    }

    private string SummaryFile => Path.Combine(_folder, "summary.md");

    private void OnPullRequest(int number)
    {
        var eventFile = Path.Combine(_folder, "event.json");
        File.WriteAllText(eventFile, $$$"""{"action":"synchronize","number":{{{number}}},"pull_request":{"number":{{{number}}}}}""");
        Environment.SetEnvironmentVariable("GITHUB_EVENT_PATH", eventFile);
    }

    private static string Plan(string marker)
    {
        var plan = new StringBuilder($"{marker}\n```diff\n");
        while (plan.Length < 200_000) plan.Append("~ resource \"aws_lambda_function\" \"api\" { memory_size = 1024 -> 2048 }\n");
        return plan.Append("```\nPlan: 0 to add, 1 to change, 0 to destroy.\n").ToString();
    }

    [Fact]
    public async Task On_a_pull_request_the_plan_is_one_comment_edited_in_place_and_whole_in_the_summary()
    {
        OnPullRequest(12);

        var first = await PlanCommentPublisher.FromEnvironment().PublishAsync("dev", "api", Plan("first run"));
        var second = await PlanCommentPublisher.FromEnvironment().PublishAsync("dev", "api", Plan("second run"));

        Assert.True(first!.Created);
        Assert.False(second!.Created);
        var (issue, _, body, _) = Assert.Single(_github.Comments);
        Assert.Equal(12, issue);
        Assert.StartsWith("<!-- depoxy-plan:dev:api -->\n### Terraform plan: dev/api\n\nsecond run\n", body);
        Assert.True(body.Length < 65_536, $"comment is {body.Length} characters");
        Assert.Contains("the full plan is in the job summary of https://github.com/depoxy/depoxy/actions/runs/4242", body);
        var summary = File.ReadAllText(SummaryFile);
        Assert.Contains(Plan("first run"), summary);
        Assert.Contains(Plan("second run"), summary);
    }

    [Fact]
    public async Task Outside_a_pull_request_the_plan_goes_to_the_summary_only()
    {
        var comment = await PlanCommentPublisher.FromEnvironment().PublishAsync("prod", "www", "No changes.");

        Assert.Null(comment);
        Assert.Empty(_github.Requests);
        Assert.Contains("## Terraform plan: prod/www\n\nNo changes.", File.ReadAllText(SummaryFile));
    }

    [Fact]
    public async Task A_caller_that_wrote_the_summary_itself_gets_the_comment_only()
    {
        OnPullRequest(8);

        var comment = await PlanCommentPublisher.FromEnvironment().PublishAsync("dev", "www", "No changes.", writeStepSummary: false);

        Assert.True(comment!.Created);
        Assert.False(File.Exists(SummaryFile));
    }

    [Fact]
    public void A_pull_request_without_a_token_names_the_fix()
    {
        OnPullRequest(5);
        Environment.SetEnvironmentVariable("GITHUB_TOKEN", null);

        var error = Assert.ThrowsAny<Exception>(() => PlanCommentPublisher.FromEnvironment());

        Assert.Contains("GITHUB_TOKEN is not set", error.Message);
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved) Environment.SetEnvironmentVariable(name, value);
        _github.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
