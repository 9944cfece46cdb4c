using System.Net;
using Depoxy.Api.Tests.Support;
using Depoxy.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Depoxy.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class TelemetryTests(ApiFixture fixture)
{
    [Fact]
    public void Tracing_is_off_without_a_honeycomb_secret_id()
    {
        Assert.Null(fixture.Api.Services.GetService<TracerProvider>());
    }

    [Fact]
    public async Task Traces_go_over_otlp_with_the_honeycomb_key_from_secrets_manager()
    {
        var secretId = $"test/honeycomb-{Guid.NewGuid():N}";
        await MotoSeeder.CreateSecretAsync(fixture.Moto, secretId, "hc-test-key");
        var port = MotoServer.FreeLoopbackPort();
        // Stand-in for api.honeycomb.io: the real one is not reachable from tests.
        using var honeycomb = new HttpListener { Prefixes = { $"http://127.0.0.1:{port}/" } };
        honeycomb.Start();
        var received = honeycomb.GetContextAsync();

        await using var api = fixture.ApiWith(("DEPOXY_API_HONEYCOMB_SECRET_ID", secretId), ("OTEL_EXPORTER_OTLP_ENDPOINT", $"http://127.0.0.1:{port}"));
        using var client = api.CreateClient();
        using (var health = await client.GetAsync("/api/v1/health"))
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var flush = Task.Run(() => api.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000));

        var context = await received.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("POST", context.Request.HttpMethod);
        Assert.Equal("/v1/traces", context.Request.Url!.AbsolutePath);
        Assert.Equal("hc-test-key", context.Request.Headers["x-honeycomb-team"]);
        Assert.Equal("application/x-protobuf", context.Request.ContentType);
        context.Response.StatusCode = 200;
        context.Response.Close();
        await flush.WaitAsync(TimeSpan.FromSeconds(20));
    }
}
