using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Depoxy.Api.Tests.Support;

namespace Depoxy.Api.Tests;

/// <summary>Session tokens the API must refuse, each forged by hand so nothing in the API's own code helps build them.</summary>
[Collection(ApiCollection.Name)]
public sealed class TokenTests(ApiFixture fixture)
{
    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string B64(object json) => B64(JsonSerializer.SerializeToUtf8Bytes(json));

    /// <summary>A claim of a JWT's payload, read without checking anything.</summary>
    public static string Claim(string token, string name)
    {
        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
        using var json = JsonDocument.Parse(Convert.FromBase64String(payload));
        return json.RootElement.GetProperty(name).ToString();
    }

    private static Dictionary<string, object> Claims(string audience = ApiFixture.Audience, string issuer = ApiFixture.Audience,
        DateTimeOffset? expires = null, DateTimeOffset? issued = null)
    {
        var iat = issued ?? DateTimeOffset.UtcNow;
        return new()
        {
            ["aud"] = audience, ["iss"] = issuer, ["email"] = "mallory@example.com", ["first_name"] = "Mallory", ["role"] = "admin",
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["iat"] = iat.ToUnixTimeSeconds(), ["nbf"] = iat.ToUnixTimeSeconds(),
            ["exp"] = (expires ?? iat.AddHours(1)).ToUnixTimeSeconds(),
        };
    }

    private static string Es256(ECDsa key, object claims)
    {
        var signingInput = B64(new { alg = "ES256", typ = "JWT" }) + "." + B64(claims);
        return signingInput + "." + B64(key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256));
    }

    private async Task<HttpStatusCode> WhoAmIAsync(string token)
    {
        using var client = fixture.Api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/auth/who-am-i");
        request.Headers.Add("Cookie", $"{ApiFixture.CookieName}={token}");
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Token_signed_with_the_real_key_is_accepted_so_the_refusals_below_mean_something()
    {
        Assert.Equal(HttpStatusCode.OK, await WhoAmIAsync(Es256(fixture.SigningKey, Claims())));
    }

    [Fact]
    public async Task Tampered_payload_is_refused()
    {
        var parts = Es256(fixture.SigningKey, Claims()).Split('.');
        var claims = Claims();
        claims["email"] = "admin@depoxy.dev";
        Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIAsync($"{parts[0]}.{B64(claims)}.{parts[2]}"));
    }

    [Fact]
    public async Task Tampered_signature_is_refused()
    {
        var token = Es256(fixture.SigningKey, Claims());
        var flipped = token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];
        Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIAsync(flipped));
    }

    [Fact]
    public async Task Alg_none_is_refused()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIAsync($"{B64(new { alg = "none", typ = "JWT" })}.{B64(Claims())}."));
    }

    [Fact]
    public async Task Hs256_signed_with_the_public_key_is_refused()
    {
        var publicKey = fixture.SigningKey.ExportSubjectPublicKeyInfo();
        var signingInput = B64(new { alg = "HS256", typ = "JWT" }) + "." + B64(Claims());
        var signature = HMACSHA256.HashData(publicKey, Encoding.ASCII.GetBytes(signingInput));
        Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIAsync($"{signingInput}.{B64(signature)}"));
    }

    [Fact]
    public async Task Wrong_audience_is_refused()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIAsync(Es256(fixture.SigningKey, Claims(audience: "DepoxyProd"))));
    }

    [Fact]
    public async Task Wrong_issuer_is_refused()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIAsync(Es256(fixture.SigningKey, Claims(issuer: "someone-else"))));
    }

    [Fact]
    public async Task Expired_token_is_refused()
    {
        var issued = DateTimeOffset.UtcNow.AddDays(-2);
        Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIAsync(Es256(fixture.SigningKey, Claims(issued: issued, expires: issued.AddDays(1)))));
    }

    [Fact]
    public async Task Token_without_a_jti_is_refused()
    {
        var claims = Claims();
        claims.Remove("jti");
        Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIAsync(Es256(fixture.SigningKey, claims)));
    }

    [Fact]
    public async Task Token_older_than_the_session_length_is_refused_whatever_its_exp()
    {
        var issued = DateTimeOffset.UtcNow.AddDays(-1).AddMinutes(-5);
        Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIAsync(Es256(fixture.SigningKey, Claims(issued: issued, expires: issued.AddDays(30)))));
    }

    [Fact]
    public async Task Token_signed_by_another_key_is_refused()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIAsync(Es256(other, Claims())));
    }

    [Fact]
    public async Task Session_expires_after_the_configured_days()
    {
        var (client, _) = await fixture.SignedInClientAsync();
        using (var fresh = await client.GetAsync("/api/v1/auth/who-am-i"))
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        fixture.Clock.Offset = TimeSpan.FromDays(1) + TimeSpan.FromMinutes(5);
        try
        {
            using var stale = await client.GetAsync("/api/v1/auth/who-am-i");
            Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        }
        finally
        {
            fixture.Clock.Offset = TimeSpan.Zero;
            client.Dispose();
        }
    }
}
