using System.Security.Claims;
using Depoxy.Api.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Depoxy.Api.Auth;

/// <summary>Issues and validates the ES256 session JWT (aud = iss = the configured audience).</summary>
public sealed class SessionTokens(ApiSettings settings, SigningKeyProvider keys, TimeProvider time)
{
    public const string Algorithm = SecurityAlgorithms.EcdsaSha256;

    /// <summary>Lambda instances' clocks agree closely; a small skew keeps an expired token from living minutes longer.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false, SetDefaultTimesOnTokenCreation = false };

    public async Task<(string Token, DateTimeOffset Expires)> IssueAsync(SessionUser user)
    {
        var key = await keys.GetAsync();
        var now = time.GetUtcNow();
        var expires = now + settings.SessionLifetime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.JwtAudience,
            Audience = settings.JwtAudience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                [SessionUser.EmailClaim] = user.Email,
                [SessionUser.FirstNameClaim] = user.FirstName,
                [SessionUser.RoleClaim] = user.Role,
            },
            SigningCredentials = new SigningCredentials(key, Algorithm),
        });
        return (token, expires);
    }

    /// <summary>The token's identity, or the reason it is rejected (bad signature, alg, audience, lifetime...).</summary>
    public async Task<(ClaimsIdentity? Identity, string? Problem)> ValidateAsync(string token)
    {
        var key = await keys.GetAsync();
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = settings.JwtAudience,
            ValidAudience = settings.JwtAudience,
            IssuerSigningKey = key,
            // Pinning the algorithm is what stops alg=none and HS256-with-the-public-key forgeries.
            ValidAlgorithms = [Algorithm],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            // Checked against the injected clock, the one that stamped iat/nbf/exp when the token was issued.
            LifetimeValidator = (notBefore, expires, _, _) =>
                expires is { } exp && time.GetUtcNow().UtcDateTime < exp + ClockSkew
                && (notBefore is not { } nbf || time.GetUtcNow().UtcDateTime + ClockSkew >= nbf),
        });
        if (!result.IsValid) return (null, result.Exception?.GetType().Name ?? "invalid token");
        return result.ClaimsIdentity.FindFirst(SessionUser.EmailClaim) is null
            ? (null, "token has no email claim")
            : (result.ClaimsIdentity, null);
    }
}
