using System.Net;
using Depoxy.Build.Engine;

namespace Depoxy.GitHub;

/// <summary>A GitHub API call that failed, with the hint that usually fixes it.</summary>
public sealed class GitHubApiException(string message, HttpStatusCode status) : BuildException(message)
{
    public HttpStatusCode Status { get; } = status;

    public static async Task<GitHubApiException> FromResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var request = response.RequestMessage;
        var detail = await response.Content.ReadAsStringAsync(cancellationToken);
        var hint = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => " Check that the step gets GITHUB_TOKEN.",
            HttpStatusCode.Forbidden or HttpStatusCode.NotFound =>
                " Check the job's permissions (pull-requests: write for plan comments, issues: write for issues).",
            _ => "",
        };
        return new GitHubApiException(
            $"GitHub API {request?.Method} {request?.RequestUri?.AbsolutePath} answered {(int)response.StatusCode} {response.ReasonPhrase}: {Shorten(detail)}.{hint}",
            response.StatusCode);
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
