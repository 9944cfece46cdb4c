using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Depoxy.Api.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Depoxy.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class LoginFlowTests(ApiFixture fixture)
{
    private static object Pipeline(string name, string destination = "postgres://warehouse.internal/analytics") => new
    {
        name,
        description = "Orders into the warehouse",
        schedule = "rate(1 hour)",
        source = new { kind = "s3", location = "s3://depoxy-landing/orders/" },
        steps = new object[]
        {
            new { name = "drop-tests", kind = "filter", expression = "customer_id != 'test'" },
            new { name = "dedupe", kind = "deduplicate", expression = "order_id" },
        },
        destination = new { kind = "postgres", location = destination },
    };

    [Fact]
    public async Task Magic_link_mail_login_who_am_i_pipeline_crud_logout()
    {
        using var client = fixture.Api.CreateClient();
        var email = ApiFixture.NewEmail();

        using (var link = await client.PostAsJsonAsync("/api/v1/auth/magic-link", ApiFixture.MagicLinkBody(email, firstName: "Ada")))
            Assert.Equal(HttpStatusCode.Accepted, link.StatusCode);
        var mail = Assert.Single(await MotoMailbox.SentToAsync(fixture.Moto, email));
        Assert.Equal(ApiFixture.Sender, mail.Source);
        Assert.Contains($"href=\"{ApiFixture.Origin}/login-hash/", mail.Body);
        var hash = await MotoMailbox.LatestLinkHashAsync(fixture.Moto, email);

        using (var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { hash }))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
            Assert.StartsWith($"{ApiFixture.CookieName}=ey", cookie);
            Assert.Contains("httponly", cookie);
            Assert.Contains("samesite=strict", cookie);
            Assert.DoesNotContain("domain=", cookie);
        }

        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/auth/who-am-i");
        Assert.Equal(email, me.GetProperty("email").GetString());
        Assert.Equal("Ada", me.GetProperty("firstName").GetString());
        Assert.Equal("user", me.GetProperty("role").GetString());

        string etag;
        using (var created = await client.PutAsJsonAsync("/api/v1/pipelines/orders-hourly", Pipeline("Orders")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            etag = created.Headers.ETag!.Tag;
        }

        var list = await client.GetFromJsonAsync<JsonElement>("/api/v1/pipelines");
        var summary = Assert.Single(list.GetProperty("pipelines").EnumerateArray());
        Assert.Equal("orders-hourly", summary.GetProperty("id").GetString());
        Assert.Equal(etag, summary.GetProperty("etag").GetString());

        using (var read = await client.GetAsync("/api/v1/pipelines/orders-hourly"))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal(etag, read.Headers.ETag!.Tag);
            var body = await read.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("Orders", body.GetProperty("name").GetString());
            Assert.Equal("deduplicate", body.GetProperty("steps")[1].GetProperty("kind").GetString());
        }

        string newEtag;
        using (var update = new HttpRequestMessage(HttpMethod.Put, "/api/v1/pipelines/orders-hourly") { Content = JsonContent.Create(Pipeline("Orders v2")) })
        {
            update.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
            using var updated = await client.SendAsync(update);
            Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
            newEtag = updated.Headers.ETag!.Tag;
            Assert.NotEqual(etag, newEtag);
        }
        var reread = await client.GetFromJsonAsync<JsonElement>("/api/v1/pipelines/orders-hourly");
        Assert.Equal("Orders v2", reread.GetProperty("name").GetString());

        using (var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/pipelines/orders-hourly"))
        {
            delete.Headers.IfMatch.Add(new EntityTagHeaderValue(newEtag));
            using var deleted = await client.SendAsync(delete);
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }
        using (var gone = await client.GetAsync("/api/v1/pipelines/orders-hourly"))
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>("/api/v1/pipelines")).GetProperty("pipelines").EnumerateArray());

        using (var logout = await client.PostAsync("/api/v1/auth/logout", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
            Assert.Contains("expires=Thu, 01 Jan 1970", Assert.Single(logout.Headers.GetValues("Set-Cookie")));
        }
        using (var after = await client.GetAsync("/api/v1/auth/who-am-i"))
            Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        using (var pipelinesAfter = await client.GetAsync("/api/v1/pipelines"))
            Assert.Equal(HttpStatusCode.Unauthorized, pipelinesAfter.StatusCode);
    }

    [Fact]
    public async Task Deployed_cookie_is_a_host_only_secure_cookie_named_for_the_stage()
    {
        await using var api = fixture.ApiWith(
            ("DEPOXY_API_CORS_ALLOW_ORIGIN", "https://app.dev.depoxy.dev"), ("DEPOXY_API_COOKIE_SECURITY", "true"),
            ("DEPOXY_API_COOKIE_MAX_AGE_DAYS", "7"), ("DEPOXY_API_STAGE", "dev"));
        // The test client's cookie jar would drop a Secure cookie over http://localhost: read the raw header.
        using var client = api.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        var email = ApiFixture.NewEmail();
        using (await client.PostAsJsonAsync("/api/v1/auth/magic-link", ApiFixture.MagicLinkBody(email))) { }
        var mail = Assert.Single(await MotoMailbox.SentToAsync(fixture.Moto, email));
        Assert.Contains("href=\"https://app.dev.depoxy.dev/login-hash/", mail.Body);

        using var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { hash = await MotoMailbox.LatestLinkHashAsync(fixture.Moto, email) });
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("__Host-depoxy-dev-session=ey", cookie);
        Assert.DoesNotContain("domain=", cookie);
        Assert.Contains("path=/;", cookie);
        Assert.Contains("secure", cookie);
        Assert.Contains("max-age=604800", cookie);
        Assert.Contains("httponly", cookie);
    }
}
