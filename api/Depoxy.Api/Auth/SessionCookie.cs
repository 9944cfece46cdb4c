using Depoxy.Api.Configuration;

namespace Depoxy.Api.Auth;

/// <summary>
/// The HttpOnly cookie carrying the session JWT; JavaScript never sees the token. Host-only (no Domain), so it goes
/// to the API's own host and nowhere else; named per stage (<see cref="ApiSettings.CookieName"/>).
/// </summary>
public sealed class SessionCookie(ApiSettings settings)
{
    public string Name => settings.CookieName;

    public void Set(HttpResponse response, string token, DateTimeOffset expires) =>
        response.Cookies.Append(Name, token, Options(expires, settings.SessionLifetime));

    public void Expire(HttpResponse response) =>
        response.Cookies.Append(Name, "", Options(DateTimeOffset.UnixEpoch, TimeSpan.Zero));

    /// <summary>
    /// The session token the request carries. Two cookies of this name mean someone planted one beside the real
    /// session (e.g. from a sibling host with another path): neither is trusted.
    /// </summary>
    public string? Read(HttpRequest request)
    {
        string? found = null;
        foreach (var header in request.Headers.Cookie)
        {
            foreach (var pair in (header ?? "").Split(';'))
            {
                var separator = pair.IndexOf('=');
                if (separator < 0 || pair[..separator].Trim() != Name) continue;
                if (found is not null) return null;
                found = pair[(separator + 1)..].Trim();
            }
        }
        return found is { Length: > 0 } ? found : null;
    }

    private CookieOptions Options(DateTimeOffset expires, TimeSpan maxAge) => new()
    {
        HttpOnly = true,
        Secure = settings.CookieSecure,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        Expires = expires,
        MaxAge = maxAge,
    };
}
