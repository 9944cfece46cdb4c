using System.Globalization;
using Depoxy.Api.Configuration;

namespace Depoxy.Api.Auth;

public sealed record MagicLinkRequest(
    string? Email, string? FirstName, bool? AcceptedTermsAndConditions, bool? AcceptedGdprTerms, bool? AcceptedCookiePolicy);

public sealed record MagicLinkAccepted(string Message);

public sealed record LoginRequest(string? Hash);

public sealed record WhoAmI(string Email, string FirstName, string Role);

public static class AuthEndpoints
{
    public const string MagicLinkSent = "If the address may sign in, a link is on its way.";

    public static void MapAuth(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth");
        auth.MapPost("/magic-link", RequestMagicLinkAsync);
        auth.MapPost("/login", LoginAsync);
        auth.MapPost("/logout", LogoutAsync);
        auth.MapPost("/logout-everywhere", LogoutEverywhereAsync).RequireAuthorization();
        auth.MapGet("/who-am-i", (HttpContext context) =>
        {
            var user = SessionUser.From(context.User);
            return TypedResults.Ok(new WhoAmI(user.Email, user.FirstName, user.Role));
        }).RequireAuthorization();
    }

    private static async Task<IResult> RequestMagicLinkAsync(
        MagicLinkRequest request, HttpContext context, ApiSettings settings, MagicLinkStore links, LoginMailer mailer, Audit audit,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!EmailAddress.IsValid(request.Email?.Trim()))
            errors["email"] = ["a valid e-mail address is required, e.g. ada@example.com"];
        var firstName = request.FirstName?.Trim() ?? "";
        if (!PersonName.IsValid(firstName))
            errors["firstName"] = [$"a first name of {PersonName.Rule} is required"];
        if (request.AcceptedTermsAndConditions != true)
            errors["acceptedTermsAndConditions"] = ["the terms and conditions must be accepted"];
        if (request.AcceptedGdprTerms != true)
            errors["acceptedGdprTerms"] = ["the GDPR terms must be accepted"];
        if (request.AcceptedCookiePolicy != true)
            errors["acceptedCookiePolicy"] = ["the cookie policy must be accepted"];
        var source = SourceAddress.Of(context);
        if (errors.Count > 0)
        {
            audit.LinkRequested(request.Email?.Trim().ToLowerInvariant() ?? "", source, "invalid");
            return TypedResults.ValidationProblem(errors);
        }

        var email = EmailAddress.Normalize(request.Email!);
        var allowed = settings.IsAllowedEmail(email);
        var outcome = await links.RequestAsync(email, firstName, source, allowed, cancellationToken);
        if (outcome.RetryAfter is { } wait)
        {
            audit.LinkRequested(email, source, $"limited-by-{outcome.LimitedBy}");
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests,
                title: $"Too many sign-in links were asked for: try again in {Math.Max(1, (seconds + 59) / 60)} minutes.");
        }
        if (outcome.Token is { } token)
        {
            await mailer.SendAsync(email, firstName, token, cancellationToken);
            audit.LinkRequested(email, source, "sent");
        }
        else
        {
            audit.LinkRequested(email, source, "domain-not-allowed");
        }
        // The same answer either way, so the endpoint does not tell which addresses may sign in.
        return TypedResults.Accepted((string?)null, new MagicLinkAccepted(MagicLinkSent));
    }

    private static async Task<IResult> LoginAsync(
        LoginRequest request, HttpContext context, ApiSettings settings, MagicLinkStore links, SigningKeyProvider keys,
        SessionTokens tokens, SessionRevocations revocations, SessionCookie cookie, Audit audit, CancellationToken cancellationToken)
    {
        var source = SourceAddress.Of(context);
        if (!MagicLinkStore.IsWellFormedToken(request.Hash))
        {
            audit.SignIn(null, source, "malformed-link");
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["hash"] = ["the 64-character hash from the sign-in link is required"] });
        }
        // The key first: with a broken key the link must stay unused, so it still works once the key is fixed.
        await keys.GetAsync();
        var record = await links.RedeemAsync(request.Hash!, cancellationToken);
        if (record is null)
        {
            audit.SignIn(null, source, "unknown-or-used-link");
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The sign-in link has expired or was already used: request a new one.");
        }
        if (!settings.IsAllowedEmail(record.Email))
        {
            audit.SignIn(record.Email, source, "domain-not-allowed");
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "This e-mail domain may not sign in.");
        }
        var user = new SessionUser(record.Email, record.FirstName, SessionUser.DefaultRole);
        var (token, session) = await tokens.IssueAsync(user, await revocations.IssueTimeAsync(user.Email, cancellationToken));
        cookie.Set(context.Response, token, session.Expires);
        audit.SignIn(user.Email, source, "signed-in");
        return TypedResults.Ok(new WhoAmI(user.Email, user.FirstName, user.Role));
    }

    /// <summary>Revokes the session the cookie names, if it is a valid one, and expires the cookie either way.</summary>
    private static async Task<IResult> LogoutAsync(
        HttpContext context, SessionCookie cookie, SessionTokens tokens, SessionRevocations revocations, Audit audit, CancellationToken cancellationToken)
    {
        if (cookie.Read(context.Request) is { } token && (await tokens.ValidateAsync(token)).Session is { } session)
        {
            await revocations.RevokeAsync(session, cancellationToken);
            audit.SignOut(session.User.Email, SourceAddress.Of(context), "this-session");
        }
        cookie.Expire(context.Response);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> LogoutEverywhereAsync(
        HttpContext context, SessionCookie cookie, SessionRevocations revocations, Audit audit, CancellationToken cancellationToken)
    {
        var user = SessionUser.From(context.User);
        await revocations.RevokeAllAsync(user.Email, cancellationToken);
        audit.SignOut(user.Email, SourceAddress.Of(context), "every-session");
        cookie.Expire(context.Response);
        return TypedResults.NoContent();
    }
}
