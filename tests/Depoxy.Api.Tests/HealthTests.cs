using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Depoxy.Api.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Depoxy.Api.Tests;

/// <summary>The signing key decides readiness: with a bad key the instance says so at /health, not to users later.</summary>
[Collection(ApiCollection.Name)]
public sealed class HealthTests(ApiFixture fixture)
{
    [Fact]
    public async Task Health_answers_without_auth_with_stage_and_version()
    {
        using var client = fixture.Api.CreateClient();
        var health = await client.GetFromJsonAsync<JsonElement>("/api/v1/health");
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal("test", health.GetProperty("stage").GetString());
        Assert.Equal("1.2.3-test", health.GetProperty("version").GetString());
    }

    [Theory]
    [InlineData("not a key at all")]
    [InlineData("AAAA")]
    [InlineData("P384")]
    public async Task A_bad_key_is_reported_unhealthy(string value)
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var secretId = $"test/bad-key-{Guid.NewGuid():N}";
        await MotoSeeder.CreateSecretAsync(fixture.Moto, secretId, value == "P384" ? Convert.ToBase64String(p384.ExportPkcs8PrivateKey()) : value);
        await using var api = fixture.ApiWith(("DEPOXY_API_JWT_SECRET_ID", secretId));
        using var client = api.CreateClient();

        using var health = await client.GetAsync("/api/v1/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("unavailable", (await health.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Contains(fixture.Logs.Lines, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Error && l.Message.Contains(secretId));
    }

    [Fact]
    public async Task A_key_fixed_after_start_makes_the_instance_healthy_without_a_restart()
    {
        var secretId = $"test/late-key-{Guid.NewGuid():N}";
        await MotoSeeder.CreateSecretAsync(fixture.Moto, secretId, "not yet a key");
        await using var api = fixture.ApiWith(("DEPOXY_API_JWT_SECRET_ID", secretId));
        using var client = api.CreateClient();
        using (var before = await client.GetAsync("/api/v1/health"))
            Assert.Equal(HttpStatusCode.ServiceUnavailable, before.StatusCode);

        await MotoSeeder.PutSecretValueAsync(fixture.Moto, secretId, Convert.ToBase64String(fixture.SigningKey.ExportPkcs8PrivateKey()));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        HttpStatusCode status;
        do
        {
            await Task.Delay(200);
            using var after = await client.GetAsync("/api/v1/health");
            status = after.StatusCode;
        } while (status != HttpStatusCode.OK && DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task A_missing_key_is_reported_unhealthy()
    {
        await using var api = fixture.ApiWith(("DEPOXY_API_JWT_SECRET_ID", "test/no-such-secret"));
        using var client = api.CreateClient();
        using var health = await client.GetAsync("/api/v1/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
    }

    [Fact]
    public async Task With_a_broken_key_a_link_is_not_used_up_and_works_once_the_key_is_back()
    {
        using var good = fixture.Api.CreateClient();
        var email = ApiFixture.NewEmail();
        var token = await fixture.RequestLinkAsync(good, email);
        await using var broken = fixture.ApiWith(("DEPOXY_API_JWT_SECRET_ID", "test/no-such-secret"));
        using var client = broken.CreateClient();

        using (var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { hash = token }))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, login.StatusCode);
            Assert.NotNull(login.Headers.RetryAfter);
        }
        using (var retry = await good.PostAsJsonAsync("/api/v1/auth/login", new { hash = token }))
            Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
    }

    [Fact]
    public async Task With_a_broken_key_public_routes_ignore_the_cookie_and_private_ones_answer_503()
    {
        var (signedIn, _) = await fixture.SignedInClientAsync();
        signedIn.Dispose();
        await using var broken = fixture.ApiWith(("DEPOXY_API_JWT_SECRET_ID", "test/no-such-secret"));
        using var client = broken.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        const string cookie = ApiFixture.CookieName + "=eyJhbGciOiJFUzI1NiJ9.e30.c2ln";

        using var link = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/magic-link") { Content = JsonContent.Create(ApiFixture.MagicLinkBody(ApiFixture.NewEmail())) };
        link.Headers.Add("Cookie", cookie);
        using (var response = await client.SendAsync(link))
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        using var me = new HttpRequestMessage(HttpMethod.Get, "/api/v1/auth/who-am-i");
        me.Headers.Add("Cookie", cookie);
        using (var response = await client.SendAsync(me))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.DoesNotContain("Exception", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_missing_telemetry_secret_leaves_the_api_running_untraced()
    {
        await using var api = fixture.ApiWith(("DEPOXY_API_HONEYCOMB_SECRET_ID", "test/no-such-honeycomb-key"));
        using var client = api.CreateClient();
        using var health = await client.GetAsync("/api/v1/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains(fixture.Logs.Lines, l => l.Message.Contains("tracing is off") && l.Message.Contains("test/no-such-honeycomb-key"));
    }
}
