using Depoxy.Testing;

namespace Depoxy.Web.Tests;

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<MotoServer>, ICollectionFixture<WebStack>
{
    public const string Name = "web";
}

/// <summary>
/// One browser and the sites for the whole collection. The app (API on moto plus the app site forwarding /api/*)
/// starts on first use, so the landing page tests need neither moto nor the API.
/// </summary>
public sealed class WebStack : IAsyncLifetime
{
    private readonly Lock _gate = new();
    private Task<Uri>? _starting;
    private StaticSite? _app;
    private ApiProcess? _api;

    public Chromium Chromium { get; private set; } = null!;

    public StaticSite Www { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Chromium = await Chromium.LaunchAsync();
        Www = await StaticSite.StartAsync(RepositoryRoot.Combine("www"), api: null, spaFallback: false);
    }

    /// <summary>
    /// The app's address; the API behind it sends sign-in links to this origin. Started once: a failed start fails
    /// every test that needs it with the same error instead of a confusing second attempt on half-seeded moto.
    /// </summary>
    public Task<Uri> AppAsync(MotoServer moto)
    {
        lock (_gate) return _starting ??= StartAppAsync(moto);
    }

    private async Task<Uri> StartAppAsync(MotoServer moto)
    {
        // The site must know the API's address and the API the site's origin: the API's port is chosen first.
        var apiAddress = new Uri($"http://127.0.0.1:{MotoServer.FreeLoopbackPort()}/");
        _app = await StaticSite.StartAsync(RepositoryRoot.Combine("app"), apiAddress, spaFallback: true);
        var config = new ApiConfiguration(_app.Address);
        await MotoSeed.SeedAsync(moto, config);
        _api = await ApiProcess.StartAsync(moto, config, apiAddress);
        return _app.Address;
    }

    public async Task DisposeAsync()
    {
        if (_api is not null) await _api.DisposeAsync();
        if (_app is not null) await _app.DisposeAsync();
        if (Www is not null) await Www.DisposeAsync();
        if (Chromium is not null) await Chromium.DisposeAsync();
    }
}
