using System.Net;
using System.Net.Http.Json;
using Depoxy.Api.Tests.Support;
using Depoxy.Aws;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Depoxy.Api.Tests;

/// <summary>Sessions are revoked server-side: a cookie saved before a sign-out is worthless after it.</summary>
[Collection(ApiCollection.Name)]
public sealed class SessionTests(ApiFixture fixture)
{
    /// <summary>Signs in through the real flow with a cookie-less client and returns the raw session cookie.</summary>
    private async Task<string> SessionCookieAsync(string email)
    {
        using var client = fixture.Api.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        var token = await fixture.RequestLinkAsync(client, email);
        using var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { hash = token });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var setCookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        return setCookie[..setCookie.IndexOf(';')];
    }

    private async Task<HttpStatusCode> SendAsync(HttpMethod method, string path, string? cookie)
    {
        using var client = fixture.Api.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        using var request = new HttpRequestMessage(method, path);
        if (cookie is not null) request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task A_saved_cookie_is_refused_after_sign_out()
    {
        var cookie = await SessionCookieAsync(ApiFixture.NewEmail());
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Get, "/api/v1/auth/who-am-i", cookie));

        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(HttpMethod.Post, "/api/v1/auth/logout", cookie));

        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(HttpMethod.Get, "/api/v1/auth/who-am-i", cookie));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(HttpMethod.Get, "/api/v1/pipelines", cookie));
    }

    [Fact]
    public async Task Signing_out_one_session_leaves_the_users_other_sessions_alone()
    {
        var email = ApiFixture.NewEmail();
        var laptop = await SessionCookieAsync(email);
        var phone = await SessionCookieAsync(email);

        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(HttpMethod.Post, "/api/v1/auth/logout", laptop));

        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(HttpMethod.Get, "/api/v1/auth/who-am-i", laptop));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Get, "/api/v1/auth/who-am-i", phone));
    }

    [Fact]
    public async Task Sign_out_everywhere_refuses_every_earlier_session_but_not_the_next_sign_in()
    {
        var email = ApiFixture.NewEmail();
        var laptop = await SessionCookieAsync(email);
        var phone = await SessionCookieAsync(email);

        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(HttpMethod.Post, "/api/v1/auth/logout-everywhere", phone));

        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(HttpMethod.Get, "/api/v1/auth/who-am-i", laptop));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(HttpMethod.Get, "/api/v1/auth/who-am-i", phone));
        var next = await SessionCookieAsync(email);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Get, "/api/v1/auth/who-am-i", next));
    }

    [Fact]
    public async Task Each_session_has_its_own_128_bit_jti()
    {
        var email = ApiFixture.NewEmail();
        var first = TokenTests.Claim((await SessionCookieAsync(email)).Split('=', 2)[1], "jti");
        var second = TokenTests.Claim((await SessionCookieAsync(email)).Split('=', 2)[1], "jti");
        Assert.NotEqual(first, second);
        Assert.Equal(22, first.Length);
    }

    [Fact]
    public async Task Sign_out_everywhere_needs_a_session()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(HttpMethod.Post, "/api/v1/auth/logout-everywhere", null));
    }

    [Fact]
    public async Task Revocations_are_stored_by_sha256_of_the_session_id_in_the_users_folder()
    {
        var email = ApiFixture.NewEmail();
        var cookie = await SessionCookieAsync(email);
        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(HttpMethod.Post, "/api/v1/auth/logout", cookie));

        using var s3 = S3ClientFactory.Create(fixture.Moto.Aws);
        var key = $"api/users/{Sha256(email)}/sessions.json";
        using var stored = await s3.GetObjectAsync(ApiFixture.Bucket, key);
        var text = await new StreamReader(stored.ResponseStream).ReadToEndAsync();
        var jti = TokenTests.Claim(cookie[(cookie.IndexOf('=') + 1)..], "jti");
        Assert.DoesNotContain(jti, text);
        Assert.Contains(Sha256(jti), text);
    }

    [Fact]
    public async Task Two_session_cookies_of_the_same_name_are_both_refused()
    {
        var mine = await SessionCookieAsync(ApiFixture.NewEmail());
        var planted = await SessionCookieAsync(ApiFixture.NewEmail());
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(HttpMethod.Get, "/api/v1/auth/who-am-i", $"{planted}; {mine}"));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Get, "/api/v1/auth/who-am-i", mine));
    }

    [Fact]
    public async Task Another_stages_cookie_name_is_not_read()
    {
        var cookie = await SessionCookieAsync(ApiFixture.NewEmail());
        var value = cookie[(cookie.IndexOf('=') + 1)..];
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(HttpMethod.Get, "/api/v1/auth/who-am-i", $"depoxy-prod-session={value}"));
    }

    private static string Sha256(string value) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value)));
}
