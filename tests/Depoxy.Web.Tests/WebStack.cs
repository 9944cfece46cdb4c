using System.Text.Json;
using Depoxy.Testing;

namespace Depoxy.Web.Tests;

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<MotoServer>, ICollectionFixture<WebStack>
{
    public const string Name = "web";
}

/// <summary>The app's origin and the API's, as the browser meets them.</summary>
public sealed record Deployment(Uri App, Uri Api);

/// <summary>
/// One browser and the sites for the whole collection. The app starts on first use, laid out as deployed on two
/// origins: the app's site (with the config.json the deploy writes, naming the API's URL) on one loopback port, the
/// API behind the API Gateway stand-in on another. The landing page tests need neither moto nor the API.
/// </summary>
public sealed class WebStack : IAsyncLifetime
{
    private readonly Lock _gate = new();
    private Task<Deployment>? _starting;
    private StaticSite? _app;
    private ApiGatewayStandIn? _gateway;
    private ApiProcess? _api;

    public Chromium Chromium { get; private set; } = null!;

    public StaticSite Www { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Chromium = await Chromium.LaunchAsync();
        Www = await StaticSite.StartAsync(RepositoryRoot.Combine("www"), spaFallback: false);
    }

    /// <summary>
    /// Started once: a failed start fails every test that needs it with the same error instead of a confusing second
    /// attempt on half-seeded moto.
    /// </summary>
    public Task<Deployment> AppAsync(MotoServer moto)
    {
        lock (_gate) return _starting ??= StartAppAsync(moto);
    }

    private async Task<Deployment> StartAppAsync(MotoServer moto)
    {
        // The order of a deploy: the API is up first, the app then learns its public URL from config.json; the API
        // in turn knows the app's origin (CORS, sign-in links), so the app's port is taken before the API starts.
        var appPort = MotoServer.FreeLoopbackPort();
        var appOrigin = new Uri($"http://127.0.0.1:{appPort}/");
        var config = new ApiConfiguration(appOrigin);
        await MotoSeed.SeedAsync(moto, config);
        _api = await ApiProcess.StartAsync(moto, config, new Uri($"http://127.0.0.1:{MotoServer.FreeLoopbackPort()}/"));
        _gateway = await ApiGatewayStandIn.StartAsync(_api.Address, [appOrigin.GetLeftPart(UriPartial.Authority)]);
        var apiUrl = _gateway.Address.GetLeftPart(UriPartial.Authority);
        _app = await StaticSite.StartAsync(RepositoryRoot.Combine("app"), spaFallback: true, appPort,
            new Dictionary<string, string> { ["/config.json"] = JsonSerializer.Serialize(new { apiUrl }) });
        return new Deployment(_app.Address, _gateway.Address);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        if (_gateway is not null) await _gateway.DisposeAsync();
        if (_api is not null) await _api.DisposeAsync();
        if (Www is not null) await Www.DisposeAsync();
        if (Chromium is not null) await Chromium.DisposeAsync();
    }
}
