using System.Net.Http.Json;
using System.Text.Json;

namespace Depoxy.GitHub;

/// <summary>The comment a marker identifies, after it was written.</summary>
public sealed record StickyComment(long Id, string? HtmlUrl, bool Created);

/// <summary>Keeps one comment per marker on a pull request (or issue): edited in place instead of piling up. A
/// comment counts only when <paramref name="author"/> wrote it, so a reviewer who pastes the marker into their own
/// comment does not take over the plan of record (and the build never edits anyone else's comment).</summary>
/// <param name="author">The login the token comments as: <see cref="GitHubActionsBot"/> for GITHUB_TOKEN.</param>
public sealed class PullRequestCommentClient(HttpClient http, string repository, string author = PullRequestCommentClient.GitHubActionsBot)
{
    /// <summary>The login of comments made with a workflow's GITHUB_TOKEN.</summary>
    public const string GitHubActionsBot = "github-actions[bot]";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>Edits the author's comment whose body contains <paramref name="marker"/>, or posts one. The marker is put
    /// at the top of the body when the body lacks it, so the next call finds the comment again.</summary>
    public async Task<StickyComment> UpsertAsync(int issueNumber, string marker, string body, CancellationToken cancellationToken = default)
    {
        if (!body.Contains(marker, StringComparison.Ordinal)) body = marker + "\n" + body;
        var existing = await FindAsync(issueNumber, marker, cancellationToken);
        var payload = JsonContent.Create(new CommentBody(body), options: Json);
        using var response = existing is null
            ? await http.PostAsync($"repos/{repository}/issues/{issueNumber}/comments", payload, cancellationToken)
            : await http.PatchAsync($"repos/{repository}/issues/comments/{existing.Id}", payload, cancellationToken);
        var written = await GitHubPages.ReadAsync<IssueComment>(response, cancellationToken);
        return new StickyComment(written.Id, written.HtmlUrl, Created: existing is null);
    }

    /// <summary>The author's first comment on the issue whose body contains the marker, looking through every page.</summary>
    public async Task<IssueComment?> FindAsync(int issueNumber, string marker, CancellationToken cancellationToken = default)
    {
        await foreach (var comment in GitHubPages.ListAsync<IssueComment>(http, $"repos/{repository}/issues/{issueNumber}/comments?per_page=100", cancellationToken))
            if (comment.User?.Login == author && comment.Body?.Contains(marker, StringComparison.Ordinal) == true)
                return comment;
        return null;
    }

    private sealed record CommentBody(string Body);
}

public sealed record IssueComment(long Id, string? Body, string? HtmlUrl, GitHubUser? User);

public sealed record GitHubUser(string Login);
