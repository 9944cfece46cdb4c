using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Depoxy.Testing;
using WireMock;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace Depoxy.GitHub.Tests;

/// <summary>A stored comment and the login that wrote it.</summary>
public sealed record StoredComment(int Issue, long Id, string Body, string Author);

/// <summary>A local stand-in of GitHub's issue-comment REST endpoints (WireMock.Net): it keeps comments in memory,
/// pages listings with Link headers like GitHub, records every request for assertions, and answers each comment with
/// its author's login. Comments posted through it are the bot's, as GitHub makes them for a workflow's GITHUB_TOKEN.</summary>
public sealed class GitHubApiStandIn : IDisposable
{
    public const string Repository = "depoxy/depoxy";
    public const string Token = "ghs_standInToken0123456789";

    private readonly WireMockServer _server;
    private readonly object _gate = new();
    private long _nextId = 1000;

    public GitHubApiStandIn(string pathPrefix = "", int pageSize = 100)
    {
        PathPrefix = pathPrefix;
        PageSize = pageSize;
        _server = WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{MotoServer.FreeLoopbackPort()}"] });
        var issuePath = new RegexMatcher($"^{pathPrefix}/repos/{Repository}/issues/\\d+/comments$");
        _server.Given(Request.Create().WithPath(issuePath).UsingGet()).RespondWith(Response.Create().WithCallback(List));
        _server.Given(Request.Create().WithPath(issuePath).UsingPost()).RespondWith(Response.Create().WithCallback(Create));
        _server.Given(Request.Create().WithPath(new RegexMatcher($"^{pathPrefix}/repos/{Repository}/issues/comments/\\d+$")).UsingPatch())
            .RespondWith(Response.Create().WithCallback(Edit));
    }

    public string PathPrefix { get; }
    public int PageSize { get; }
    public Uri ApiUrl => new(_server.Url + PathPrefix);
    public List<StoredComment> Comments { get; } = [];

    /// <summary>Answers every request with this status instead, as GitHub does to a token without the permission.</summary>
    public HttpStatusCode? FailWith { get; set; }

    public IReadOnlyList<(string Method, string Path)> Requests =>
        [.. _server.LogEntries.Select(e => (e.RequestMessage.Method, e.RequestMessage.Path))];

    public IReadOnlyList<IRequestMessage> RequestMessages => [.. _server.LogEntries.Select(e => e.RequestMessage)];

    public PullRequestCommentClient Client() =>
        new(new GitHubConnection(ApiUrl, Repository, Token).CreateHttpClient(), Repository);

    /// <summary>A comment already on the issue, by default a person's.</summary>
    public void Seed(int issue, string body, string author = "octocat")
    {
        lock (_gate) Comments.Add(new StoredComment(issue, _nextId++, body, author));
    }

    private ResponseMessage List(IRequestMessage request)
    {
        if (FailWith is { } status) return Json((int)status, new JsonObject { ["message"] = "Resource not accessible by integration" });
        var issue = IssueOf(request.Path);
        var page = request.Query?.TryGetValue("page", out var p) == true ? int.Parse(p[0]) : 1;
        lock (_gate)
        {
            var all = Comments.Where(c => c.Issue == issue).ToList();
            var items = all.Skip((page - 1) * PageSize).Take(PageSize).Select(Comment).ToArray<JsonNode?>();
            var response = Json(200, new JsonArray(items));
            if (page * PageSize < all.Count)
                response.Headers!["Link"] = new WireMockList<string>(
                    $"<{_server.Url}{request.Path}?per_page={PageSize}&page={page + 1}>; rel=\"next\", <{_server.Url}{request.Path}?page=1>; rel=\"first\"");
            return response;
        }
    }

    private ResponseMessage Create(IRequestMessage request)
    {
        if (FailWith is { } status) return Json((int)status, new JsonObject { ["message"] = "Resource not accessible by integration" });
        var body = BodyOf(request);
        lock (_gate)
        {
            var comment = new StoredComment(IssueOf(request.Path), _nextId++, body, PullRequestCommentClient.GitHubActionsBot);
            Comments.Add(comment);
            return Json(201, Comment(comment));
        }
    }

    private ResponseMessage Edit(IRequestMessage request)
    {
        var id = long.Parse(request.Path.Split('/')[^1]);
        var body = BodyOf(request);
        lock (_gate)
        {
            var index = Comments.FindIndex(c => c.Id == id);
            if (index < 0) return Json(404, new JsonObject { ["message"] = "Not Found" });
            Comments[index] = Comments[index] with { Body = body };
            return Json(200, Comment(Comments[index]));
        }
    }

    private static JsonObject Comment(StoredComment comment) => new()
    {
        ["id"] = comment.Id,
        ["body"] = comment.Body,
        ["html_url"] = $"https://github.com/{Repository}/pull/1#issuecomment-{comment.Id}",
        ["user"] = new JsonObject { ["login"] = comment.Author, ["type"] = comment.Author.EndsWith("[bot]", StringComparison.Ordinal) ? "Bot" : "User" },
    };

    private static int IssueOf(string path) => int.Parse(path.Split('/')[^2]);

    private static string BodyOf(IRequestMessage request) =>
        JsonDocument.Parse(request.Body!).RootElement.GetProperty("body").GetString()!;

    private static ResponseMessage Json(int status, JsonNode node) => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json; charset=utf-8") },
        BodyData = new BodyData { DetectedBodyType = BodyType.String, BodyAsString = node.ToJsonString() },
    };

    public void Dispose() => _server.Stop();
}
