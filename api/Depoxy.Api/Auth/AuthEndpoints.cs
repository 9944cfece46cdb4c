using Depoxy.Api.Configuration;

namespace Depoxy.Api.Auth;

public sealed record MagicLinkRequest(
    string? Email, string? FirstName, bool? AcceptedTermsAndConditions, bool? AcceptedGdprTerms, bool? AcceptedCookiePolicy);

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
        auth.MapPost("/logout", (HttpResponse response, SessionCookie cookie) =>
        {
            cookie.Expire(response);
            return Results.NoContent();
        });
        auth.MapGet("/who-am-i", (HttpContext context) =>
        {
            var user = SessionUser.From(context.User);
            return Results.Ok(new WhoAmI(user.Email, user.FirstName, user.Role));
        }).RequireAuthorization();
    }

    private static async Task<IResult> RequestMagicLinkAsync(
        MagicLinkRequest request, ApiSettings settings, MagicLinkStore links, LoginMailer mailer, TimeProvider time,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!EmailAddress.IsValid(request.Email?.Trim()))
            errors["email"] = ["a valid e-mail address is required, e.g. ada@example.com"];
        var firstName = request.FirstName?.Trim() ?? "";
        if (firstName.Length is 0 or > 100 || firstName.Any(char.IsControl))
            errors["firstName"] = ["a first name of 1-100 characters is required"];
        if (request.AcceptedTermsAndConditions != true)
            errors["acceptedTermsAndConditions"] = ["the terms and conditions must be accepted"];
        if (request.AcceptedGdprTerms != true)
            errors["acceptedGdprTerms"] = ["the GDPR terms must be accepted"];
        if (request.AcceptedCookiePolicy != true)
            errors["acceptedCookiePolicy"] = ["the cookie policy must be accepted"];
        if (errors.Count > 0) return Results.ValidationProblem(errors);

        var email = EmailAddress.Normalize(request.Email!);
        if (settings.IsAllowedEmail(email))
        {
            var record = new LoginRecord(email, firstName, time.GetUtcNow(), true, true, true);
            var hash = await links.CreateAsync(record, cancellationToken);
            await mailer.SendAsync(email, firstName, hash, cancellationToken);
        }
        else
        {
            loggers.CreateLogger(typeof(AuthEndpoints)).LogInformation("Magic link refused for a domain outside DEPOXY_API_ALLOWED_EMAIL_DOMAINS");
        }
        // The same answer either way, so the endpoint does not tell which addresses may sign in.
        return Results.Accepted(value: new { message = MagicLinkSent });
    }

    private static async Task<IResult> LoginAsync(
        LoginRequest request, ApiSettings settings, MagicLinkStore links, SessionTokens tokens, SessionCookie cookie,
        HttpResponse response, CancellationToken cancellationToken)
    {
        if (!MagicLinkStore.IsWellFormedHash(request.Hash))
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["hash"] = ["the 64-character hash from the sign-in link is required"] });
        var record = await links.RedeemAsync(request.Hash!, cancellationToken);
        if (record is null)
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The sign-in link has expired or was already used: request a new one.");
        if (!settings.IsAllowedEmail(record.Email))
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "This e-mail domain may not sign in.");
        var user = new SessionUser(record.Email, record.FirstName, SessionUser.DefaultRole);
        var (token, expires) = await tokens.IssueAsync(user);
        cookie.Set(response, token, expires);
        return Results.Ok(new WhoAmI(user.Email, user.FirstName, user.Role));
    }
}
