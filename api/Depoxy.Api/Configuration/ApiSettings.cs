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
    /// The session cookie's name, one per stage so dev and prod never read each other's session. Deployed (Secure)
    /// it carries the __Host- prefix: browsers then accept it only host-only (no Domain), Secure and on Path=/, so no
    /// sibling host can set or shadow it. Plain-HTTP local runs cannot use the prefix, which requires Secure.
    /// </summary>
    public string CookieName => CookieSecure ? $"__Host-depoxy-{Stage}-session" : $"depoxy-{Stage}-session";

    public bool IsAllowedEmail(string email) =>
        AllowedEmailDomains.Count == 0 || AllowedEmailDomains.Contains(email[(email.LastIndexOf('@') + 1)..].ToLowerInvariant());
}
