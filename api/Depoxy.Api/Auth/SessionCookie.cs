using Depoxy.Api.Configuration;

namespace Depoxy.Api.Auth;

/// <summary>The HttpOnly cookie carrying the session JWT; JavaScript never sees the token.</summary>
public sealed class SessionCookie(ApiSettings settings)
{
    public const string Name = "depoxy_session";

    public void Set(HttpResponse response, string token, DateTimeOffset expires) =>
        response.Cookies.Append(Name, token, Options(expires, settings.SessionLifetime));

    public void Expire(HttpResponse response) =>
        response.Cookies.Append(Name, "", Options(DateTimeOffset.UnixEpoch, TimeSpan.Zero));

    private CookieOptions Options(DateTimeOffset expires, TimeSpan maxAge) => new()
    {
        HttpOnly = true,
        Secure = settings.CookieSecure,
        SameSite = SameSiteMode.Lax,
        Domain = settings.CookieDomain,
        Path = "/",
        Expires = expires,
        MaxAge = maxAge,
    };
}
