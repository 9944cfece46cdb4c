using System.Text.Json;
using Depoxy.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Depoxy.Web.Tests;

[Trait("Tier", "browser")]
[Collection(WebCollection.Name)]
public sealed class AppFlowTests(MotoServer moto, WebStack stack)
{
    public static readonly string Screenshot = RepositoryRoot.Combine("artifacts", "web", "app-signed-in.png");

    static AppFlowTests() => SetDefaultExpectTimeout(15_000);

    [Fact]
    public async Task Signs_in_with_the_mailed_link_creates_a_pipeline_that_survives_a_reload_and_signs_out()
    {
        var (app, api) = await stack.AppAsync(moto);
        await using var context = await stack.Chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(app.ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to Depoxy" })).ToBeVisibleAsync();
        Assert.Empty(await Axe.SeriousViolationsAsync(page));

        var email = NewEmail();
        var link = await RequestLinkAsync(page, email);
        Assert.Equal(app.GetLeftPart(UriPartial.Authority), link.GetLeftPart(UriPartial.Authority));
        Assert.NotEqual(app.GetLeftPart(UriPartial.Authority), api.GetLeftPart(UriPartial.Authority));
        await page.GotoAsync(link.ToString());

        await Expect(page.Locator("#who-email")).ToHaveTextAsync(email);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your pipelines" })).ToBeVisibleAsync();
        Assert.Equal(new Uri(app, "/").ToString(), page.Url);

        await page.GetByRole(AriaRole.Button, new() { Name = "New pipeline" }).ClickAsync();
        await page.GetByLabel("Identifier").FillAsync("nightly-sales");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Nightly sales load");
        await page.GetByLabel("Description (optional)").FillAsync("Copies yesterday's sales into the warehouse.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save pipeline" }).ClickAsync();
        await Expect(page.Locator("#notice")).ToHaveTextAsync("Saved Nightly sales load.");

        await page.ReloadAsync();
        await Expect(page.Locator("#who-email")).ToHaveTextAsync(email);
        await Expect(page.Locator("#pipeline-list .pipeline-name")).ToHaveTextAsync(["nightly-sales"]);
        Directory.CreateDirectory(Path.GetDirectoryName(Screenshot)!);
        await page.ScreenshotAsync(new() { Path = Screenshot, FullPage = true });
        Assert.Empty(await Axe.SeriousViolationsAsync(page));

        var stored = await ApiGetAsync(page, api, "/api/v1/pipelines/nightly-sales");
        Assert.Equal(200, stored.Status);
        Assert.Equal("Nightly sales load", stored.Body.GetProperty("name").GetString());
        Assert.Equal("s3", stored.Body.GetProperty("source").GetProperty("kind").GetString());

        // The session cookie is the API's, host-only, HttpOnly and SameSite: the page's script never sees it.
        var saved = Assert.Single(await context.CookiesAsync(), c => c.Name == "depoxy-test-session");
        Assert.Equal(api.Host, saved.Domain);
        Assert.True(saved.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, saved.SameSite);
        Assert.DoesNotContain("depoxy-test-session", await page.EvaluateAsync<string>("() => document.cookie"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to Depoxy" })).ToBeVisibleAsync();
        await Expect(page.Locator("#session")).ToBeHiddenAsync();
        Assert.Equal(401, (await ApiGetAsync(page, api, "/api/v1/auth/who-am-i")).Status);

        // A cookie copied before the sign-out and put back is refused: the session is revoked on the server.
        await context.AddCookiesAsync([new Cookie
        {
            Name = saved.Name, Value = saved.Value, Domain = saved.Domain, Path = saved.Path, Expires = saved.Expires,
            HttpOnly = saved.HttpOnly, Secure = saved.Secure, SameSite = saved.SameSite,
        }]);
        Assert.Equal(401, (await ApiGetAsync(page, api, "/api/v1/auth/who-am-i")).Status);
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to Depoxy" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Edits_with_the_etag_read_refuses_a_stale_edit_and_deletes()
    {
        var (app, api) = await stack.AppAsync(moto);
        await using var context = await stack.Chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignInAsync(page, app, NewEmail());
        await page.GetByRole(AriaRole.Button, new() { Name = "New pipeline" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New pipeline" })).ToBeFocusedAsync();
        Assert.Empty(await Axe.SeriousViolationsAsync(page));
        await page.GetByLabel("Identifier").FillAsync("orders");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Orders");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save pipeline" }).ClickAsync();
        await Expect(page.Locator("#notice")).ToHaveTextAsync("Saved Orders.");

        await page.GetByRole(AriaRole.Button, new() { Name = "Edit orders" }).ClickAsync();
        await Expect(page.GetByLabel("Identifier")).ToHaveAttributeAsync("readonly", "");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Orders v2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save pipeline" }).ClickAsync();
        await Expect(page.Locator("#notice")).ToHaveTextAsync("Saved Orders v2.");
        Assert.Equal("Orders v2", (await ApiGetAsync(page, api, "/api/v1/pipelines/orders")).Body.GetProperty("name").GetString());

        // Someone else saves while this editor is open: the app's If-Match is stale and the API must refuse it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit orders" }).ClickAsync();
        var current = await ApiGetAsync(page, api, "/api/v1/pipelines/orders");
        Assert.NotNull(current.ETag);
        var concurrent = await page.EvaluateAsync<string>("""
            async ([url, etag, body]) => {
              const response = await fetch(url, {
                method: 'PUT', credentials: 'include', headers: { 'Content-Type': 'application/json', 'If-Match': etag }, body });
              return `${response.status} ${response.headers.get('ETag') ? 'etag' : 'no-etag'} ${await response.text()}`;
            }
            """, new object[] { new Uri(api, "/api/v1/pipelines/orders").ToString(), current.ETag!, current.Body.GetRawText().Replace("Orders v2", "Orders by someone else") });
        Assert.True(concurrent.StartsWith("200 etag "), concurrent);
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Orders v3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save pipeline" }).ClickAsync();
        await Expect(page.Locator("#problem")).ToContainTextAsync("changed since you read it");
        Assert.Equal("Orders by someone else", (await ApiGetAsync(page, api, "/api/v1/pipelines/orders")).Body.GetProperty("name").GetString());

        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit orders" }).ClickAsync();
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete pipeline" }).ClickAsync();
        await Expect(page.Locator("#notice")).ToHaveTextAsync("Deleted Orders by someone else.");
        await Expect(page.Locator("#pipelines-empty")).ToBeVisibleAsync();
        Assert.Equal(404, (await ApiGetAsync(page, api, "/api/v1/pipelines/orders")).Status);
    }

    [Fact]
    public async Task A_used_sign_in_link_is_refused_with_a_way_forward()
    {
        var (app, _) = await stack.AppAsync(moto);
        await using var context = await stack.Chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var link = await SignInAsync(page, app, NewEmail());

        await using var other = await stack.Chromium.NewContextAsync();
        var second = await other.NewPageAsync();
        await second.GotoAsync(link.ToString());
        await Expect(second.Locator("#problem")).ToContainTextAsync("request a new one");
        await Expect(second.GetByRole(AriaRole.Heading, new() { Name = "Sign in to Depoxy" })).ToBeVisibleAsync();
        await Expect(second.Locator("#session")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Requesting_a_link_without_the_consents_says_what_is_missing_and_sends_nothing()
    {
        var (app, _) = await stack.AppAsync(moto);
        await using var context = await stack.Chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(app.ToString());
        var email = NewEmail();
        await page.GetByLabel("Email address").FillAsync(email);
        await page.GetByLabel("First name").FillAsync("Ada");
        await page.GetByLabel("I accept the terms and conditions").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Email me a sign-in link" }).ClickAsync();

        await Expect(page.Locator("#problem")).ToHaveTextAsync("Please accept all three consents to sign in.");
        await Expect(page.GetByLabel("I accept the GDPR terms (how my personal data is processed)")).ToBeFocusedAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => MotoSeed.SignInLinkAsync(moto, email));
    }

    private async Task<Uri> RequestLinkAsync(IPage page, string email)
    {
        await page.GetByLabel("Email address").FillAsync(email);
        await page.GetByLabel("First name").FillAsync("Ada");
        await page.GetByLabel("I accept the terms and conditions").CheckAsync();
        await page.GetByLabel("I accept the GDPR terms (how my personal data is processed)").CheckAsync();
        await page.GetByLabel("I accept the cookie policy (one sign-in cookie, no tracking)").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Email me a sign-in link" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your inbox" })).ToBeVisibleAsync();
        return await MotoSeed.SignInLinkAsync(moto, email);
    }

    private async Task<Uri> SignInAsync(IPage page, Uri app, string email)
    {
        await page.GotoAsync(app.ToString());
        var link = await RequestLinkAsync(page, email);
        await page.GotoAsync(link.ToString());
        await Expect(page.Locator("#who-email")).ToHaveTextAsync(email);
        return link;
    }

    private sealed record ApiAnswer(int Status, string? ETag, JsonElement Body);

    /// <summary>
    /// A cross-origin call from inside the app's page to the API's origin, as the app makes it, so it carries the
    /// browser's own session cookie and sees only the headers CORS exposes. The body comes back as text: Playwright's
    /// object transfer adds its own reference ids to JSON objects.
    /// </summary>
    private static async Task<ApiAnswer> ApiGetAsync(IPage page, Uri api, string path)
    {
        var answer = await page.EvaluateAsync<string[]>("""
            async url => {
              const response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'include' });
              return [String(response.status), response.headers.get('ETag') ?? '', await response.text()];
            }
            """, new Uri(api, path).ToString());
        using var body = JsonDocument.Parse(answer[2] is { Length: > 0 } text ? text : "null");
        return new ApiAnswer(int.Parse(answer[0]), answer[1] is { Length: > 0 } etag ? etag : null, body.RootElement.Clone());
    }

    private static string NewEmail() => $"ada.{Guid.NewGuid().ToString("N")[..8]}@example.com";
}
