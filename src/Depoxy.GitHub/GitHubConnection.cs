using System.Net.Http.Headers;
using Depoxy.Build.Engine;

namespace Depoxy.GitHub;

/// <summary>Where the GitHub REST API is and who calls it: the values GitHub Actions puts in every job's environment.</summary>
public sealed record GitHubConnection(Uri ApiUrl, string Repository, string Token)
{
    public static GitHubConnection FromEnvironment(string? token = null)
    {
        var apiUrl = Environment.GetEnvironmentVariable("GITHUB_API_URL") is { Length: > 0 } url ? url : "https://api.github.com";
        var repository = Environment.GetEnvironmentVariable("GITHUB_REPOSITORY") is { Length: > 0 } r
            ? r
            : throw new BuildException("GITHUB_REPOSITORY is not set: set it to owner/name (GitHub Actions sets it in every job)");
        token = token is { Length: > 0 } ? token : Environment.GetEnvironmentVariable("GITHUB_TOKEN");
        if (string.IsNullOrEmpty(token))
            throw new BuildException("GITHUB_TOKEN is not set: pass it to the step as env GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}");
        SecretMasker.Register(token);
        return new GitHubConnection(new Uri(apiUrl), repository, token);
    }

    /// <summary>Leaves the token out, unlike the record's generated text.</summary>
    public override string ToString() => $"{Repository} at {ApiUrl}";

    /// <summary>An HttpClient with GitHub's recommended headers whose base address ends in a slash, so relative paths
    /// keep a GitHub Enterprise prefix such as /api/v3.</summary>
    public HttpClient CreateHttpClient(HttpMessageHandler? transport = null)
    {
        SecretMasker.Register(Token);
        var baseText = ApiUrl.AbsoluteUri.EndsWith('/') ? ApiUrl.AbsoluteUri : ApiUrl.AbsoluteUri + "/";
        var http = transport is null ? new HttpClient() : new HttpClient(transport, disposeHandler: false);
        http.BaseAddress = new Uri(baseText);
        http.Timeout = TimeSpan.FromSeconds(30);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        http.DefaultRequestHeaders.Add("X-GitHub-Api-Version", "2022-11-28");
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("depoxy-build", "1.0"));
        return http;
    }
}
