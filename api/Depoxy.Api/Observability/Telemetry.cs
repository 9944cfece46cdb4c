using Depoxy.Api.Configuration;
using Depoxy.Aws.SecretsManager;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Depoxy.Api.Observability;

/// <summary>Traces over OTLP to Honeycomb when DEPOXY_API_HONEYCOMB_SECRET_ID is set; nothing is registered otherwise.</summary>
public static class Telemetry
{
    public const string ServiceName = "depoxy-api";
    public const string DefaultEndpoint = "https://api.honeycomb.io";
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static void AddDepoxyTelemetry(this IServiceCollection services, ApiSettings settings, IConfiguration configuration)
    {
        if (settings.HoneycombSecretId is not { } secretId) return;
        var endpoint = new Uri((configuration[EndpointVariable] is { Length: > 0 } custom ? custom : DefaultEndpoint).TrimEnd('/') + "/v1/traces");

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(ServiceName, serviceVersion: settings.Version)
                .AddAttributes([new("deployment.environment.name", settings.Stage)]))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter());

        services.AddOptions<OtlpExporterOptions>().Configure<SecretsManagerClient>((options, secrets) =>
        {
            options.Protocol = OtlpExportProtocol.HttpProtobuf;
            options.Endpoint = endpoint;
            // Options are built synchronously once, when the tracer provider starts with the host.
            var key = secrets.GetSecretValueAsync(secretId).GetAwaiter().GetResult().Text.Trim();
            options.Headers = $"x-honeycomb-team={key}";
        });
    }
}
