using System.Security.Cryptography;
using System.Text;
using System.Net;
using System.Net.Http.Json;
using Amazon.S3.Model;
using Depoxy.Api.Tests.Support;
using Depoxy.Aws;

namespace Depoxy.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class LoginTests(ApiFixture fixture)
{
    private async Task<string> RequestLinkAsync()
    {
        using var client = fixture.Api.CreateClient();
        var email = ApiFixture.NewEmail();
        using (var link = await client.PostAsJsonAsync("/api/v1/auth/magic-link", ApiFixture.MagicLinkBody(email)))
            Assert.Equal(HttpStatusCode.Accepted, link.StatusCode);
        return await MotoMailbox.LatestLinkHashAsync(fixture.Moto, email);
    }

    private async Task<HttpStatusCode> LoginAsync(HttpClient client, string hash)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { hash });
        return response.StatusCode;
    }

    [Fact]
    public async Task Login_record_is_stored_under_sha256_of_the_token_only_and_deleted_when_used()
    {
        var hash = await RequestLinkAsync();
        using var client = fixture.Api.CreateClient();
        var key = $"api/expiring/login/{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(hash)))}.json";
        using var s3 = S3ClientFactory.Create(fixture.Moto.Aws);
        async Task<List<string>> KeysAsync() =>
            (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = ApiFixture.Bucket, Prefix = "api/" }))
            .S3Objects?.Select(o => o.Key).ToList() ?? [];

        var keys = await KeysAsync();
        Assert.Contains(key, keys);
        Assert.DoesNotContain(keys, k => k.Contains(hash));
        Assert.Equal(HttpStatusCode.OK, await LoginAsync(client, hash));
        Assert.DoesNotContain(key, await KeysAsync());
    }

    [Fact]
    public async Task Reused_link_is_refused()
    {
        var hash = await RequestLinkAsync();
        using var client = fixture.Api.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await LoginAsync(client, hash));
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginAsync(client, hash));
    }

    [Fact]
    public async Task Concurrent_logins_with_one_link_let_exactly_one_in()
    {
        var hash = await RequestLinkAsync();
        var browsers = Enumerable.Range(0, 6).Select(_ => fixture.Api.CreateClient()).ToList();
        try
        {
            var attempts = await Task.WhenAll(browsers.Select(browser => LoginAsync(browser, hash)));
            Assert.Single(attempts, status => status == HttpStatusCode.OK);
            Assert.All(attempts.Where(status => status != HttpStatusCode.OK), status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        }
        finally
        {
            browsers.ForEach(browser => browser.Dispose());
        }
    }

    [Fact]
    public async Task Link_works_until_the_end_of_the_hour_the_mail_promises()
    {
        var hash = await RequestLinkAsync();
        using var client = fixture.Api.CreateClient();
        fixture.Clock.Offset = TimeSpan.FromMinutes(59);
        try
        {
            Assert.Equal(HttpStatusCode.OK, await LoginAsync(client, hash));
        }
        finally
        {
            fixture.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task Link_older_than_an_hour_is_refused()
    {
        var hash = await RequestLinkAsync();
        using var client = fixture.Api.CreateClient();
        fixture.Clock.Offset = TimeSpan.FromMinutes(61);
        try
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await LoginAsync(client, hash));
        }
        finally
        {
            fixture.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task Only_the_latest_link_of_an_address_works()
    {
        using var browser = fixture.Api.CreateClient();
        var email = ApiFixture.NewEmail();
        var first = await fixture.RequestLinkAsync(browser, email);
        var second = await fixture.RequestLinkAsync(browser, email);
        using var client = fixture.Api.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginAsync(client, first));
        Assert.Equal(HttpStatusCode.OK, await LoginAsync(client, second));
    }

    [Fact]
    public async Task Unknown_hash_is_refused()
    {
        using var client = fixture.Api.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginAsync(client, new string('a', 64)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("../../users/x")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("abc")]
    public async Task Malformed_hash_is_a_bad_request(string hash)
    {
        using var client = fixture.Api.CreateClient();
        Assert.Equal(HttpStatusCode.BadRequest, await LoginAsync(client, hash));
    }

    [Fact]
    public async Task Domain_removed_from_the_allowed_list_after_the_link_was_sent_cannot_log_in()
    {
        var hash = await RequestLinkAsync();
        await using var restricted = fixture.ApiWith(("DEPOXY_API_ALLOWED_EMAIL_DOMAINS", "depoxy.dev"));
        using var client = restricted.CreateClient();
        Assert.Equal(HttpStatusCode.Forbidden, await LoginAsync(client, hash));
        using var me = await client.GetAsync("/api/v1/auth/who-am-i");
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }
}
