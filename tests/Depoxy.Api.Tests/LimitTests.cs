using System.Net;
using System.Net.Http.Json;
using Depoxy.Api.Auth;
using Depoxy.Api.Tests.Support;

namespace Depoxy.Api.Tests;

/// <summary>Magic-link mail is limited per address and per source address, with state in S3 under conditional writes.</summary>
[Collection(ApiCollection.Name)]
public sealed class LimitTests(ApiFixture fixture)
{
    private static async Task<HttpResponseMessage> AskAsync(HttpClient client, string email) =>
        await client.PostAsJsonAsync("/api/v1/auth/magic-link", ApiFixture.MagicLinkBody(email));

    [Fact]
    public async Task The_fourth_mail_to_an_address_within_an_hour_is_refused_with_429_and_retry_after()
    {
        var email = ApiFixture.NewEmail();
        for (var i = 0; i < MagicLinkStore.MailsPerAddressPerHour; i++)
        {
            // From another source each time: only the address's own limit is in play.
            using var client = fixture.Api.CreateClient();
            using var accepted = await AskAsync(client, email);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }
        using var fourth = fixture.Api.CreateClient();
        using var refused = await AskAsync(fourth, email);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = refused.Headers.RetryAfter?.Delta ?? throw new Xunit.Sdk.XunitException("no Retry-After in seconds");
        Assert.InRange(retryAfter, TimeSpan.FromMinutes(55), TimeSpan.FromMinutes(60));
        Assert.Equal(MagicLinkStore.MailsPerAddressPerHour, (await MotoMailbox.SentToAsync(fixture.Moto, email)).Count);
    }

    [Fact]
    public async Task An_address_may_ask_again_once_its_oldest_request_is_an_hour_old()
    {
        var email = ApiFixture.NewEmail();
        using var client = fixture.Api.CreateClient();
        for (var i = 0; i < MagicLinkStore.MailsPerAddressPerHour; i++)
            using (await AskAsync(client, email)) { }
        fixture.Clock.Offset = TimeSpan.FromMinutes(61);
        try
        {
            using var again = await AskAsync(client, email);
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        }
        finally
        {
            fixture.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task Concurrent_requests_for_one_address_send_at_most_three_mails()
    {
        var email = ApiFixture.NewEmail();
        var clients = Enumerable.Range(0, 8).Select(_ => fixture.Api.CreateClient()).ToList();
        try
        {
            var answers = await Task.WhenAll(clients.Select(async c =>
            {
                using var response = await AskAsync(c, email);
                return response.StatusCode;
            }));
            Assert.Equal(MagicLinkStore.MailsPerAddressPerHour, answers.Count(a => a == HttpStatusCode.Accepted));
            Assert.All(answers.Where(a => a != HttpStatusCode.Accepted), a => Assert.Equal(HttpStatusCode.TooManyRequests, a));
            Assert.Equal(MagicLinkStore.MailsPerAddressPerHour, (await MotoMailbox.SentToAsync(fixture.Moto, email)).Count);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task One_source_address_is_refused_after_its_hourly_share_of_requests()
    {
        using var client = fixture.Api.CreateClient();
        for (var i = 0; i < MagicLinkStore.RequestsPerSourcePerHour; i++)
        {
            using var accepted = await AskAsync(client, ApiFixture.NewEmail());
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }
        var next = ApiFixture.NewEmail();
        using var refused = await AskAsync(client, next);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        Assert.Empty(await MotoMailbox.SentToAsync(fixture.Moto, next));
    }

    [Fact]
    public async Task Addresses_outside_the_allowed_domains_are_limited_alike_so_a_429_tells_nothing()
    {
        await using var api = fixture.ApiWith(("DEPOXY_API_ALLOWED_EMAIL_DOMAINS", "depoxy.dev"));
        var outsider = ApiFixture.NewEmail("example.com");
        using var client = api.CreateClient();
        for (var i = 0; i < MagicLinkStore.MailsPerAddressPerHour; i++)
            using (await AskAsync(client, outsider)) { }
        using var fourth = api.CreateClient();
        using var refused = await AskAsync(fourth, outsider);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
    }
}
