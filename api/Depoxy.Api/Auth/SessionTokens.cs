using System.Security.Claims;
using System.Security.Cryptography;
using Depoxy.Api.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Depoxy.Api.Auth;

/// <summary>A session as its token states it: who, its id (jti), when it was issued and when it ends.</summary>
public sealed record Session(SessionUser User, string Id, DateTimeOffset IssuedAt, DateTimeOffset Expires, ClaimsIdentity Identity);

/// <summary>Issues and validates the ES256 session JWT (aud = iss = the configured audience).</summary>
public sealed class SessionTokens(ApiSettings settings, SigningKeyProvider keys, TimeProvider time)
{
    public const string Algorithm = SecurityAlgorithms.EcdsaSha256;
    public const string IdClaim = "jti";

    /// <summary>Lambda instances' clocks agree closely; a small skew keeps an expired token from living minutes longer.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false, SetDefaultTimesOnTokenCreation = false };

    /// <summary>
    /// A fresh session token issued at <paramref name="issuedAt"/> (now, or a moment later when the user's sessions
    /// were just revoked within this second) with a random 128-bit id.
    /// </summary>
    public async Task<(string Token, Session Session)> IssueAsync(SessionUser user, DateTimeOffset issuedAt)
    {
        var key = await keys.GetAsync();
        var issued = DateTimeOffset.FromUnixTimeSeconds(issuedAt.ToUnixTimeSeconds());
        var expires = issued + settings.SessionLifetime;
        var id = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.JwtAudience,
            Audience = settings.JwtAudience,
            IssuedAt = issued.UtcDateTime,
            NotBefore = issued.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                [IdClaim] = id,
                [SessionUser.EmailClaim] = user.Email,
                [SessionUser.FirstNameClaim] = user.FirstName,
                [SessionUser.RoleClaim] = user.Role,
            },
            SigningCredentials = new SigningCredentials(key, Algorithm),
        });
        return (token, new Session(user, id, issued, expires, new ClaimsIdentity()));
    }

    /// <summary>
    /// The token's session, or the reason it is refused: bad signature, algorithm, audience or lifetime, no id, or
    /// older than the session length allows whatever its exp says. Throws <see cref="SigningKeyUnavailableException"/>
    /// when the key cannot be loaded: that is the server's fault, not the token's.
    /// </summary>
    public async Task<(Session? Session, string? Problem)> ValidateAsync(string token)
    {
        var key = await keys.GetAsync();
        var now = time.GetUtcNow();
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
                expires is { } exp && now.UtcDateTime < exp + ClockSkew
                && (notBefore is not { } nbf || now.UtcDateTime + ClockSkew >= nbf),
        });
        if (!result.IsValid) return (null, result.Exception?.GetType().Name ?? "invalid token");
        var jwt = (JsonWebToken)result.SecurityToken;
        var identity = result.ClaimsIdentity;
        if (identity.FindFirst(SessionUser.EmailClaim) is null) return (null, "token has no email claim");
        if (identity.FindFirst(IdClaim)?.Value is not { Length: > 0 } id) return (null, "token has no jti");
        if (!jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out var iat)) return (null, "token has no iat");
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(iat);
        // Token age is capped by the session length, so a token minted with a far exp cannot outlive it.
        if (issuedAt > now + ClockSkew || now - issuedAt > settings.SessionLifetime + ClockSkew) return (null, "token is older than a session may be");
        return (new Session(SessionUser.From(new ClaimsPrincipal(identity)), id, issuedAt, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero), identity), null);
    }
}
