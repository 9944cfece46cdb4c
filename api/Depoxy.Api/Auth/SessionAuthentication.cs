using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Depoxy.Api.Auth;

/// <summary>Authenticates requests by the session JWT in <see cref="SessionCookie.Name"/>.</summary>
public sealed class SessionAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, SessionTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "DepoxySession";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Cookies.TryGetValue(SessionCookie.Name, out var token) || string.IsNullOrEmpty(token))
            return AuthenticateResult.NoResult();
        var (identity, problem) = await tokens.ValidateAsync(token);
        if (identity is null) return AuthenticateResult.Fail(problem ?? "invalid session token");
        var principal = new ClaimsPrincipal(new ClaimsIdentity(identity.Claims, SchemeName, SessionUser.EmailClaim, SessionUser.RoleClaim));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }
}
