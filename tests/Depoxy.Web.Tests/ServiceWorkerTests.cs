using Depoxy.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Depoxy.Web.Tests;

[Trait("Tier", "browser")]
[Collection(WebCollection.Name)]
public sealed class ServiceWorkerTests(MotoServer moto, WebStack stack)
{
    private const string CachedPaths = """
        async () => {
          const entries = [];
          for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            for (const request of await cache.keys()) entries.push(`${name} ${new URL(request.url).pathname}`);
          }
          return entries;
        }
        """;

    static ServiceWorkerTests() => SetDefaultExpectTimeout(15_000);

    [Fact]
    public async Task Caches_the_shell_in_a_versioned_cache_never_the_api_and_starts_offline()
    {
        var (app, api) = await stack.AppAsync(moto);
        await using var context = await stack.Chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(app.ToString());
        await page.EvaluateAsync("async () => { await navigator.serviceWorker.ready; }");
        await page.ReloadAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => navigator.serviceWorker.controller !== null"), "the reloaded page is not controlled by sw.js");
        // A successful API answer through the controlled page: the kind a careless worker would cache.
        Assert.Equal(200, await page.EvaluateAsync<int>("async url => (await fetch(url, { credentials: 'include' })).status", new Uri(api, "/api/v1/health").ToString()));
        Assert.Equal(200, await page.EvaluateAsync<int>("async () => (await fetch('/config.json')).status"));

        var cached = await page.EvaluateAsync<string[]>(CachedPaths);
        var cacheName = Assert.Single(cached.Select(entry => entry.Split(' ')[0]).Distinct());
        Assert.Matches("^depoxy-app-v[0-9]+$", cacheName);
        Assert.Contains($"{cacheName} /index.html", cached);
        Assert.Contains($"{cacheName} /js/main.js", cached);
        Assert.Contains($"{cacheName} /manifest.webmanifest", cached);
        Assert.DoesNotContain(cached, entry => entry.Contains("/api/"));
        // The API's address changes with a deploy: a cached config.json would point the app at an old API.
        Assert.DoesNotContain(cached, entry => entry.EndsWith("/config.json", StringComparison.Ordinal));

        await context.SetOfflineAsync(true);
        // A file outside the shell fails offline: proof that the worker's own fetches are cut off too.
        Assert.False(await page.EvaluateAsync<bool>("async () => { try { await fetch('/icons/not-in-the-shell.png'); return true; } catch { return false; } }"));
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to Depoxy" })).ToBeVisibleAsync();
        await Expect(page.Locator("#problem")).ToContainTextAsync("cannot be reached");
        Assert.DoesNotContain(await page.EvaluateAsync<string[]>(CachedPaths), entry => entry.Contains("/api/"));
    }

    [Fact]
    public async Task Manifest_makes_the_app_installable()
    {
        var (app, _) = await stack.AppAsync(moto);
        await using var context = await stack.Chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync(new Uri(app, "/manifest.webmanifest").ToString());
        Assert.NotNull(response);
        Assert.Equal("application/manifest+json", response.Headers["content-type"].Split(';')[0]);
        using var manifest = System.Text.Json.JsonDocument.Parse(await response.TextAsync());
        var root = manifest.RootElement;
        Assert.Equal("/", root.GetProperty("start_url").GetString());
        Assert.Equal("standalone", root.GetProperty("display").GetString());
        var sizes = root.GetProperty("icons").EnumerateArray().Select(icon => icon.GetProperty("sizes").GetString()).ToList();
        Assert.Contains("192x192", sizes);
        Assert.Contains("512x512", sizes);
        foreach (var icon in root.GetProperty("icons").EnumerateArray())
        {
            var iconResponse = await context.APIRequest.GetAsync(new Uri(app, icon.GetProperty("src").GetString()).ToString());
            Assert.True(iconResponse.Ok, $"{icon.GetProperty("src").GetString()} answered {iconResponse.Status}");
        }
    }
}
