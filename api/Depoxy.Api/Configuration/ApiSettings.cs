using System.Net;

namespace Depoxy.Api.Configuration;

/// <summary>The API's validated DEPOXY_API_* configuration; see <see cref="ApiSettingsReader"/>.</summary>
public sealed record ApiSettings
{
    public required string Stage { get; init; }
    public required int CookieMaxAgeDays { get; init; }
    public required bool CookieSecure { get; init; }

    /// <summary>The one browser origin allowed to call the API, e.g. https://app.dev.depoxy.dev (no trailing slash).</summary>
    public required string CorsAllowOrigin { get; init; }

    public required string JwtAlgorithm { get; init; }
    public required string JwtAudience { get; init; }
    public required string JwtSecretId { get; init; }
    public required string S3Bucket { get; init; }
    public required string S3Prefix { get; init; }
    public required string SesSenderAddress { get; init; }
    public string? HoneycombSecretId { get; init; }

    /// <summary>Lower-case e-mail domains allowed to sign in; empty means every domain.</summary>
    public required IReadOnlyList<string> AllowedEmailDomains { get; init; }

    public required string Version { get; init; }

    /// <summary>The port Kestrel listens on when neither --urls nor ASPNETCORE_URLS is given.</summary>
    public required int ListenPort { get; init; }

    public TimeSpan SessionLifetime => TimeSpan.FromDays(CookieMaxAgeDays);

    /// <summary>
    /// The session cookie's Domain: the CORS origin's host minus its first label so the app and the API
    /// (app.dev.depoxy.dev, api.dev.depoxy.dev) share it; none for localhost, IP addresses and two-label hosts.
    /// </summary>
    public string? CookieDomain
    {
        get
        {
            var host = new Uri(CorsAllowOrigin).Host;
            if (host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal) || IPAddress.TryParse(host.Trim('[', ']'), out _))
                return null;
            var labels = host.Split('.');
            return labels.Length >= 3 ? string.Join('.', labels[1..]) : null;
        }
    }

    public bool IsAllowedEmail(string email) =>
        AllowedEmailDomains.Count == 0 || AllowedEmailDomains.Contains(email[(email.LastIndexOf('@') + 1)..].ToLowerInvariant());
}
