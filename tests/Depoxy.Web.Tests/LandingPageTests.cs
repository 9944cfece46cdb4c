namespace Depoxy.Web.Tests;

[Trait("Tier", "browser")]
[Collection(WebCollection.Name)]
public sealed class LandingPageTests(WebStack stack)
{
    [Fact]
    public async Task Landing_page_links_to_the_app_and_has_no_serious_accessibility_violations()
    {
        await using var context = await stack.Chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(stack.Www.Address.ToString());

        Assert.Equal("ETL pipelines without the plumbing", await page.Locator("h1").InnerTextAsync());
        var appLinks = await page.Locator("a[data-app-link]").EvaluateAllAsync<string[]>("links => links.map(a => a.href)");
        Assert.NotEmpty(appLinks);
        Assert.All(appLinks, href => Assert.Equal("https://app.depoxy.dev/", href));
        Assert.Empty(await Axe.SeriousViolationsAsync(page));
    }

    [Fact]
    public async Task Landing_page_on_a_stage_links_to_the_app_of_the_same_stage()
    {
        await using var context = await stack.Chromium.NewContextAsync();
        // The stage's hostname is answered from the local site, so the page's own script sees www.dev.depoxy.dev.
        await context.RouteAsync("http://www.dev.depoxy.dev/**", async route =>
        {
            var local = new Uri(stack.Www.Address, new Uri(route.Request.Url).PathAndQuery);
            var response = await route.FetchAsync(new() { Url = local.ToString() });
            await route.FulfillAsync(new() { Response = response });
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("http://www.dev.depoxy.dev/");

        await page.WaitForFunctionAsync("() => document.querySelector('a[data-app-link]').href.includes('app.dev.depoxy.dev')");
        var appLinks = await page.Locator("a[data-app-link]").EvaluateAllAsync<string[]>("links => links.map(a => a.href)");
        Assert.All(appLinks, href => Assert.Equal("http://app.dev.depoxy.dev/", href));
    }
}
