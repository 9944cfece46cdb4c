using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Depoxy.Api.Tests.Support;

namespace Depoxy.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class MagicLinkTests(ApiFixture fixture)
{
    [Theory]
    [InlineData(false, true, true, "acceptedTermsAndConditions")]
    [InlineData(true, false, true, "acceptedGdprTerms")]
    [InlineData(true, true, false, "acceptedCookiePolicy")]
    public async Task Each_missing_consent_is_refused_and_nothing_is_sent(bool terms, bool gdpr, bool cookies, string field)
    {
        using var client = fixture.Api.CreateClient();
        var email = ApiFixture.NewEmail();
        using var response = await client.PostAsJsonAsync("/api/v1/auth/magic-link", ApiFixture.MagicLinkBody(email, terms: terms, gdpr: gdpr, cookies: cookies));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"400 does not name {field}: {errors}");
        Assert.Empty(await MotoMailbox.SentToAsync(fixture.Moto, email));
    }

    [Fact]
    public async Task Consent_omitted_from_the_body_is_refused()
    {
        using var client = fixture.Api.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/v1/auth/magic-link", new { email = ApiFixture.NewEmail(), firstName = "Ada" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("ada@localhost")]
    [InlineData("Ada Lovelace <ada@example.com>")]
    [InlineData("ada@example.com\nBcc: all@example.com")]
    [InlineData("ada@@example.com")]
    [InlineData("")]
    public async Task Malformed_email_is_refused(string email)
    {
        using var client = fixture.Api.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/v1/auth/magic-link", ApiFixture.MagicLinkBody(email));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("email", out _));
    }

    [Fact]
    public async Task Domain_outside_the_allowed_list_gets_the_same_answer_but_no_mail()
    {
        await using var api = fixture.ApiWith(("DEPOXY_API_ALLOWED_EMAIL_DOMAINS", "depoxy.dev, datadeft.eu"));
        using var client = api.CreateClient();
        var outsider = ApiFixture.NewEmail("example.com");
        var insider = ApiFixture.NewEmail("datadeft.eu");

        using var refused = await client.PostAsJsonAsync("/api/v1/auth/magic-link", ApiFixture.MagicLinkBody(outsider));
        using var accepted = await client.PostAsJsonAsync("/api/v1/auth/magic-link", ApiFixture.MagicLinkBody(insider));

        Assert.Equal(accepted.StatusCode, refused.StatusCode);
        Assert.Equal(await accepted.Content.ReadAsStringAsync(), await refused.Content.ReadAsStringAsync());
        Assert.Empty(await MotoMailbox.SentToAsync(fixture.Moto, outsider));
        Assert.Single(await MotoMailbox.SentToAsync(fixture.Moto, insider));
    }

    [Theory]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("Visit https://evil.example")]
    [InlineData("Ada\u202Eevil")]
    [InlineData("Ada\u2066x\u2069")]
    [InlineData("Ad\u200Da")]
    [InlineData("Ada2")]
    [InlineData("-Ada")]
    [InlineData("Ada Lovelace Byron King Noel Countess of Lovelace Wow")]
    public async Task First_name_outside_letters_spaces_hyphens_and_apostrophes_is_refused_and_nothing_is_sent(string firstName)
    {
        using var client = fixture.Api.CreateClient();
        var email = ApiFixture.NewEmail();
        using var response = await client.PostAsJsonAsync("/api/v1/auth/magic-link", ApiFixture.MagicLinkBody(email, firstName: firstName));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("firstName", out _), errors.ToString());
        Assert.Empty(await MotoMailbox.SentToAsync(fixture.Moto, email));
    }

    [Theory]
    [InlineData("Zoë")]
    [InlineData("Jean-Luc")]
    [InlineData("O'Brien")]
    [InlineData("D\u2019Arcy")]
    [InlineData("Ólafur Arnalds")]
    [InlineData("Zoe\u0308")]
    [InlineData("Łukasz")]
    public async Task First_names_of_letters_spaces_hyphens_and_apostrophes_are_greeted_in_the_mail(string firstName)
    {
        using var client = fixture.Api.CreateClient();
        var email = ApiFixture.NewEmail();
        using (var response = await client.PostAsJsonAsync("/api/v1/auth/magic-link", ApiFixture.MagicLinkBody(email, firstName: firstName)))
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var mail = Assert.Single(await MotoMailbox.SentToAsync(fixture.Moto, email));
        Assert.Contains(System.Text.Encodings.Web.HtmlEncoder.Default.Encode(firstName), mail.Body);
    }

    [Fact]
    public async Task Mail_promises_the_lifetime_the_link_really_has()
    {
        using var client = fixture.Api.CreateClient();
        var email = ApiFixture.NewEmail();
        await fixture.RequestLinkAsync(client, email);
        var mail = Assert.Single(await MotoMailbox.SentToAsync(fixture.Moto, email));
        Assert.Contains("within the next 60 minutes", mail.Body);
        Assert.Equal(TimeSpan.FromMinutes(60), Auth.MagicLinkStore.Lifetime);
    }

    [Fact]
    public async Task Each_request_gets_a_fresh_256_bit_hash()
    {
        using var client = fixture.Api.CreateClient();
        var email = ApiFixture.NewEmail();
        using (await client.PostAsJsonAsync("/api/v1/auth/magic-link", ApiFixture.MagicLinkBody(email))) { }
        var first = await MotoMailbox.LatestLinkHashAsync(fixture.Moto, email);
        using (await client.PostAsJsonAsync("/api/v1/auth/magic-link", ApiFixture.MagicLinkBody(email))) { }
        var second = await MotoMailbox.LatestLinkHashAsync(fixture.Moto, email);
        Assert.NotEqual(first, second);
        Assert.Equal(64, second.Length);
    }
}
