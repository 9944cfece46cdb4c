using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Depoxy.GitHub;

/// <summary>Reads GitHub REST responses, following <c>Link: rel="next"</c> pagination (a few lines; Octokit is not
/// worth a dependency for three endpoints).</summary>
internal static partial class GitHubPages
{
    public static async IAsyncEnumerable<T> ListAsync<T>(HttpClient http, string firstPage, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (Uri? page = new(firstPage, UriKind.Relative); page is not null;)
        {
            using var response = await http.GetAsync(page, cancellationToken);
            var items = await ReadAsync<List<T>>(response, cancellationToken);
            foreach (var item in items) yield return item;
            page = NextPage(response);
        }
    }

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode) throw await GitHubApiException.FromResponseAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(PullRequestCommentClient.Json, cancellationToken)
               ?? throw new GitHubApiException($"GitHub API {response.RequestMessage?.RequestUri?.AbsolutePath} answered an empty body", response.StatusCode);
    }

    private static Uri? NextPage(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Link", out var links)
            ? links.Select(l => NextLink().Match(l)).Where(m => m.Success).Select(m => new Uri(m.Groups[1].Value)).FirstOrDefault()
            : null;

    [GeneratedRegex(@"<([^>]+)>;\s*rel=""next""")]
    private static partial Regex NextLink();
}
