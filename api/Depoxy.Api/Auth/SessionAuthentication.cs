using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Depoxy.Api.Auth;

/// <summary>
/// Authenticates requests by the session cookie: a valid token whose session is not revoked in S3. Runs only for
/// endpoints that require authorization, so public routes never read cookies.
/// </summary>
public sealed class SessionAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    SessionCookie cookie, SessionTokens tokens, SessionRevocations revocations)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "DepoxySession";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // ASP.NET Core makes a lone scheme the default and authenticates every request with it: public routes opt out here.
        if (Context.GetEndpoint()?.Metadata.GetMetadata<IAuthorizeData>() is null) return AuthenticateResult.NoResult();
        if (cookie.Read(Request) is not { } token) return AuthenticateResult.NoResult();
        var (session, problem) = await tokens.ValidateAsync(token);
        if (session is null) return AuthenticateResult.Fail(problem ?? "invalid session token");
        if (await revocations.IsRevokedAsync(session, Context.RequestAborted)) return AuthenticateResult.Fail("the session was signed out");
        Context.Features.Set(session);
        var principal = new ClaimsPrincipal(new ClaimsIdentity(session.Identity.Claims, SchemeName, SessionUser.EmailClaim, SessionUser.RoleClaim));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }
}
