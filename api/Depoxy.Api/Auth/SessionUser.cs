using System.Security.Claims;

namespace Depoxy.Api.Auth;

/// <summary>The signed-in user as the session JWT states it.</summary>
public sealed record SessionUser(string Email, string FirstName, string Role)
{
    public const string EmailClaim = "email";
    public const string FirstNameClaim = "first_name";
    public const string RoleClaim = "role";
    public const string DefaultRole = "user";

    public static SessionUser From(ClaimsPrincipal principal) =>
        new(principal.FindFirstValue(EmailClaim) ?? throw new InvalidOperationException("the session has no email claim"),
            principal.FindFirstValue(FirstNameClaim) ?? "",
            principal.FindFirstValue(RoleClaim) ?? DefaultRole);
}
