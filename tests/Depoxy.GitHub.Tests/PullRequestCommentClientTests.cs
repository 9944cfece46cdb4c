using System.Net;

namespace Depoxy.GitHub.Tests;

public sealed class PullRequestCommentClientTests : IDisposable
{
    private const string Marker = "<!-- depoxy-plan:dev:api -->";
    private readonly GitHubApiStandIn _github = new();

    [Fact]
    public async Task Creates_the_comment_once_then_edits_it_in_place()
    {
        _github.Seed(7, "Looks good to me");
        var client = _github.Client();

        var first = await client.UpsertAsync(7, Marker, $"{Marker}\nplan one");
        var second = await client.UpsertAsync(7, Marker, $"{Marker}\nplan two");

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(["Looks good to me", $"{Marker}\nplan two"], _github.Comments.Where(c => c.Issue == 7).Select(c => c.Body));
        Assert.Single(_github.Requests, r => r.Method == "POST");
        Assert.Single(_github.Requests, r => r.Method == "PATCH" && r.Path.EndsWith($"/issues/comments/{first.Id}"));
    }

    [Fact]
    public async Task Each_marker_keeps_its_own_comment()
    {
        var client = _github.Client();

        await client.UpsertAsync(3, Marker, "dev api");
        await client.UpsertAsync(3, "<!-- depoxy-plan:prod:api -->", "prod api");
        await client.UpsertAsync(3, Marker, "dev api again");

        Assert.Equal([$"{Marker}\ndev api again", "<!-- depoxy-plan:prod:api -->\nprod api"], _github.Comments.Select(c => c.Body));
    }

    [Fact]
    public async Task Finds_its_comment_on_a_later_page()
    {
        using var github = new GitHubApiStandIn(pageSize: 2);
        for (var i = 0; i < 5; i++) github.Seed(9, $"comment {i}");
        github.Seed(9, $"{Marker}\nold plan", PullRequestCommentClient.GitHubActionsBot);

        var result = await github.Client().UpsertAsync(9, Marker, $"{Marker}\nnew plan");

        Assert.False(result.Created);
        Assert.Equal(3, github.Requests.Count(r => r.Method == "GET"));
        Assert.Equal($"{Marker}\nnew plan", github.Comments[^1].Body);
        Assert.Equal(6, github.Comments.Count);
    }

    [Fact]
    public async Task A_marker_in_someone_elses_comment_is_not_the_plan_of_record()
    {
        _github.Seed(4, $"{Marker}\nmerge me, the plan is fine", author: "mallory");
        var client = _github.Client();

        var written = await client.UpsertAsync(4, Marker, $"{Marker}\nreal plan");
        var again = await client.UpsertAsync(4, Marker, $"{Marker}\nreal plan, second push");

        Assert.True(written.Created);
        Assert.Equal(written.Id, again.Id);
        Assert.Equal(
            [($"{Marker}\nmerge me, the plan is fine", "mallory"), ($"{Marker}\nreal plan, second push", PullRequestCommentClient.GitHubActionsBot)],
            _github.Comments.Select(c => (c.Body, c.Author)));
        Assert.DoesNotContain(_github.Requests, r => r.Method == "PATCH" && r.Path.EndsWith($"/issues/comments/{_github.Comments[0].Id}"));
    }

    [Fact]
    public async Task A_client_for_another_login_finds_that_logins_comment()
    {
        _github.Seed(6, $"{Marker}\nposted with a personal token", author: "deploy-bot");
        using var http = new GitHubConnection(_github.ApiUrl, GitHubApiStandIn.Repository, GitHubApiStandIn.Token).CreateHttpClient();

        var found = await new PullRequestCommentClient(http, GitHubApiStandIn.Repository, "deploy-bot").FindAsync(6, Marker);
        var byBot = await _github.Client().FindAsync(6, Marker);

        Assert.Equal(_github.Comments[0].Id, found!.Id);
        Assert.Equal("deploy-bot", found.User!.Login);
        Assert.Null(byBot);
    }

    [Fact]
    public async Task Sends_githubs_headers_and_keeps_an_enterprise_path_prefix()
    {
        using var github = new GitHubApiStandIn(pathPrefix: "/api/v3");

        await github.Client().UpsertAsync(1, Marker, "plan");

        Assert.All(github.RequestMessages, request =>
        {
            Assert.StartsWith("/api/v3/repos/depoxy/depoxy/issues/", request.Path);
            Assert.Equal($"Bearer {GitHubApiStandIn.Token}", request.Headers!["Authorization"].Single());
            Assert.Equal("application/vnd.github+json", request.Headers["Accept"].Single());
            Assert.Equal("2022-11-28", request.Headers["X-GitHub-Api-Version"].Single());
        });
    }

    [Fact]
    public async Task A_token_without_permission_fails_with_the_fix_in_one_line()
    {
        _github.FailWith = HttpStatusCode.Forbidden;

        var error = await Assert.ThrowsAsync<GitHubApiException>(() => _github.Client().UpsertAsync(1, Marker, "plan"));

        Assert.Equal(HttpStatusCode.Forbidden, error.Status);
        Assert.Contains("403", error.Message);
        Assert.Contains("pull-requests: write", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    public void Dispose() => _github.Dispose();
}
