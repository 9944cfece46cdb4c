using System.Net.Http.Json;
using System.Security.Cryptography;
using Depoxy.Aws;
using Depoxy.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Depoxy.Api.Tests.Support;

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "Depoxy API against moto";
}

/// <summary>
/// One moto_server (the API's own: data.json breaks once a moto holds Lambda functions) seeded with the bucket,
/// the signing key and the SES sender, plus the API hosted in-process against it.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const string Bucket = "depoxy-test";
    public const string SecretId = "test/depoxy/api";
    public const string Sender = "login@send.depoxy.test";
    public const string Origin = "http://localhost:5173";
    public const string Audience = "DepoxyTest";

    public MotoServer Moto { get; } = new();

    /// <summary>The private key stored in the secret, for tests that forge tokens the API must (or must not) accept.</summary>
    public ECDsa SigningKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public ShiftedClock Clock { get; } = new();

    private ApiFactory? _api;

    public ApiFactory Api => _api ?? throw new InvalidOperationException("the fixture did not start");

    public static Dictionary<string, string?> Settings() => new()
    {
        ["DEPOXY_API_STAGE"] = "test",
        ["DEPOXY_API_COOKIE_MAX_AGE_DAYS"] = "1",
        ["DEPOXY_API_COOKIE_SECURITY"] = "false",
        ["DEPOXY_API_CORS_ALLOW_ORIGIN"] = Origin,
        ["DEPOXY_API_JWT_ALGORITHM"] = "ES256",
        ["DEPOXY_API_JWT_AUDIENCE"] = Audience,
        ["DEPOXY_API_JWT_SECRET_ID"] = SecretId,
        ["DEPOXY_API_S3_BUCKET"] = Bucket,
        ["DEPOXY_API_S3_PREFIX"] = "api",
        ["DEPOXY_API_SES_SENDER_ADDRESS"] = Sender,
        ["DEPOXY_API_VERSION"] = "1.2.3-test",
    };

    public async Task InitializeAsync()
    {
        await Moto.InitializeAsync();
        await MotoSeeder.SeedAsync(Moto, Bucket, SecretId, Convert.ToBase64String(SigningKey.ExportPkcs8PrivateKey()), Sender);
        _api = new ApiFactory(Moto.Aws, Settings(), Clock);
    }

    /// <summary>Another API instance on the same moto with some settings changed (null removes one).</summary>
    public ApiFactory ApiWith(params (string Name, string? Value)[] changes)
    {
        var settings = Settings();
        foreach (var (name, value) in changes) settings[name] = value;
        return new ApiFactory(Moto.Aws, settings, Clock);
    }

    public async Task DisposeAsync()
    {
        if (_api is not null) await _api.DisposeAsync();
        await Moto.DisposeAsync();
        SigningKey.Dispose();
    }

    public static string NewEmail(string domain = "example.com") => $"user-{Guid.NewGuid():N}@{domain}";

    public static object MagicLinkBody(string email, string firstName = "Ada", bool terms = true, bool gdpr = true, bool cookies = true) => new
    {
        email,
        firstName,
        acceptedTermsAndConditions = terms,
        acceptedGdprTerms = gdpr,
        acceptedCookiePolicy = cookies,
    };

    /// <summary>A client signed in as a fresh user through the real flow: magic link, mail, login.</summary>
    public async Task<(HttpClient Client, string Email)> SignedInClientAsync(ApiFactory? api = null)
    {
        var client = (api ?? Api).CreateClient();
        var email = NewEmail();
        using var link = await client.PostAsJsonAsync("/api/v1/auth/magic-link", MagicLinkBody(email));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, link.StatusCode);
        var hash = await MotoMailbox.LatestLinkHashAsync(Moto, email);
        using var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { hash });
        Assert.Equal(System.Net.HttpStatusCode.OK, login.StatusCode);
        return (client, email);
    }
}

/// <summary>The API in-process with the given DEPOXY_API_* settings, its AWS calls going to moto.</summary>
public sealed class ApiFactory(AwsEnvironment aws, IReadOnlyDictionary<string, string?> settings, TimeProvider clock)
    : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // UseSetting reaches the app as host configuration before Program reads its settings.
        foreach (var (name, value) in settings) builder.UseSetting(name, value ?? "");
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(aws);
            services.AddSingleton(clock);
        });
    }
}
