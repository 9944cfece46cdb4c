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

    /// <summary>The session cookie of stage "test" on plain HTTP (no __Host- prefix without Secure).</summary>
    public const string CookieName = "depoxy-test-session";

    public MotoServer Moto { get; } = new();

    /// <summary>The private key stored in the secret, for tests that forge tokens the API must (or must not) accept.</summary>
    public ECDsa SigningKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public ShiftedClock Clock { get; } = new();

    private ApiFactory? _api;

    public ApiFactory Api => _api ?? throw new InvalidOperationException("the fixture did not start");

    /// <summary>Every log line the in-process APIs wrote, for the audit tests.</summary>
    public CapturedLogs Logs { get; } = new();

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
        _api = new ApiFactory(Moto.Aws, Settings(), Clock, Logs);
    }

    /// <summary>Another API instance on the same moto with some settings changed (null removes one).</summary>
    public ApiFactory ApiWith(params (string Name, string? Value)[] changes)
    {
        var settings = Settings();
        foreach (var (name, value) in changes) settings[name] = value;
        return new ApiFactory(Moto.Aws, settings, Clock, Logs);
    }

    public async Task DisposeAsync()
    {
        if (_api is not null) await _api.DisposeAsync();
        await Moto.DisposeAsync();
        SigningKey.Dispose();
    }

    public static string NewEmail(string domain = "example.com") => $"user-{Guid.NewGuid():N}@{domain}";

    /// <summary>A magic link requested and read from the mail, its token returned.</summary>
    public async Task<string> RequestLinkAsync(HttpClient client, string email)
    {
        using var link = await client.PostAsJsonAsync("/api/v1/auth/magic-link", MagicLinkBody(email));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, link.StatusCode);
        return await MotoMailbox.LatestLinkHashAsync(Moto, email);
    }

    public static object MagicLinkBody(string email, string firstName = "Ada", bool terms = true, bool gdpr = true, bool cookies = true) => new
    {
        email,
        firstName,
        acceptedTermsAndConditions = terms,
        acceptedGdprTerms = gdpr,
        acceptedCookiePolicy = cookies,
    };

    /// <summary>A client signed in as a fresh user through the real flow: magic link, mail, login.</summary>
    public async Task<(HttpClient Client, string Email)> SignedInClientAsync(ApiFactory? api = null, string? email = null)
    {
        var client = (api ?? Api).CreateClient();
        email ??= NewEmail();
        var hash = await RequestLinkAsync(client, email);
        using var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { hash });
        Assert.Equal(System.Net.HttpStatusCode.OK, login.StatusCode);
        return (client, email);
    }
}

/// <summary>
/// The API in-process with the given DEPOXY_API_* settings, its AWS calls going to moto. Each client it makes comes
/// from its own documentation-range address (CloudFront-Viewer-Address), as browsers behind CloudFront do, so the
/// per-source limit counts each test's requests apart.
/// </summary>
public sealed class ApiFactory(AwsEnvironment aws, IReadOnlyDictionary<string, string?> settings, TimeProvider clock, CapturedLogs logs)
    : WebApplicationFactory<Program>
{
    public const string ViewerAddressHeader = "CloudFront-Viewer-Address";

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Add(ViewerAddressHeader, $"198.51.{Random.Shared.Next(0, 256)}.{Random.Shared.Next(1, 255)}:{Random.Shared.Next(1024, 65535)}");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // UseSetting reaches the app as host configuration before Program reads its settings.
        foreach (var (name, value) in settings) builder.UseSetting(name, value ?? "");
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(aws);
            services.AddSingleton(clock);
            services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs);
        });
    }
}
