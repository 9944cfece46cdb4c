using System.Text.Json;
using Depoxy.Build.Engine;

namespace Depoxy.GitHub;

/// <summary>Shows a stage and stack's plan where reviewers look: the full text in the job summary and, on a pull
/// request, the sticky comment edited in place.</summary>
public sealed class PlanCommentPublisher(PlanCommentPublisher.PullRequest? pullRequest, string? runUrl)
{
    /// <summary>The pull request to comment on and the client that reaches it.</summary>
    public sealed record PullRequest(PullRequestCommentClient Comments, int Number);

    /// <summary>A publisher for the current GitHub Actions job; it only writes the summary outside pull requests.</summary>
    public static PlanCommentPublisher FromEnvironment(string? token = null, HttpMessageHandler? transport = null)
    {
        var number = PullRequestNumberFromEnvironment();
        if (number is not { } n) return new PlanCommentPublisher(null, GitHubActions.RunUrl);
        var connection = GitHubConnection.FromEnvironment(token);
        var comments = new PullRequestCommentClient(connection.CreateHttpClient(transport), connection.Repository);
        return new PlanCommentPublisher(new PullRequest(comments, n), GitHubActions.RunUrl);
    }

    /// <param name="writeStepSummary">False when the caller already put the full plan in the job summary.</param>
    /// <returns>The comment written, or null when there is no pull request to comment on.</returns>
    public async Task<StickyComment?> PublishAsync(string stage, string stack, string planMarkdown, bool writeStepSummary = true,
        CancellationToken cancellationToken = default)
    {
        if (writeStepSummary) GitHubActions.AppendToStepSummary($"## {PlanComment.Title(stage, stack)}\n\n{planMarkdown}");
        if (pullRequest is not { Comments: var comments, Number: var number })
        {
            Log.Debug($"Not a pull request: the {stage}/{stack} plan goes to the job summary only");
            return null;
        }

        var comment = await comments.UpsertAsync(number, PlanComment.Marker(stage, stack),
            PlanComment.Render(stage, stack, planMarkdown, runUrl), cancellationToken);
        Log.Info($"{(comment.Created ? "Posted" : "Updated")} the {stage}/{stack} plan comment on pull request #{number}: {comment.HtmlUrl}");
        return comment;
    }

    /// <summary>The pull request of a <c>pull_request</c> event, read from the event payload GitHub Actions writes.</summary>
    public static int? PullRequestNumberFromEnvironment()
    {
        if (Environment.GetEnvironmentVariable("GITHUB_EVENT_PATH") is not { Length: > 0 } path || !File.Exists(path)) return null;
        using var payload = JsonDocument.Parse(File.ReadAllText(path));
        return payload.RootElement.TryGetProperty("pull_request", out var pr) && pr.TryGetProperty("number", out var n) && n.TryGetInt32(out var number)
            ? number
            : null;
    }
}
