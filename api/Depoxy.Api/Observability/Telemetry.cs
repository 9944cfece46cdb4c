using System.Diagnostics;
using Depoxy.Api.Configuration;
using Depoxy.Aws.SecretsManager;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Depoxy.Api.Observability;

/// <summary>
/// Traces over OTLP to Honeycomb when DEPOXY_API_HONEYCOMB_SECRET_ID is set; nothing is registered otherwise. Tracing
/// is optional: when its key cannot be read the API runs untraced and says so in the log, it never fails to start.
/// </summary>
public static partial class Telemetry
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
                .AddProcessor(sp => Exporter(sp, secretId, endpoint)));
    }

    /// <summary>Built once, when the tracer provider starts with the host.</summary>
    private static BaseProcessor<Activity> Exporter(IServiceProvider services, string secretId, Uri endpoint)
    {
        string key;
        try
        {
            key = services.GetRequiredService<SecretsManagerClient>().GetSecretValueAsync(secretId).GetAwaiter().GetResult().Text.Trim();
        }
        catch (Exception e) when (e is Depoxy.Aws.AwsServiceException or HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            LogTracingOff(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(Telemetry)), secretId, e.Message);
            return new NoExport();
        }
        var options = new OtlpExporterOptions
        {
            Protocol = OtlpExportProtocol.HttpProtobuf,
            Endpoint = endpoint,
            Headers = $"x-honeycomb-team={key}",
        };
        return new BatchActivityExportProcessor(new OtlpTraceExporter(options));
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning,
        Message = "tracing is off: the Honeycomb key secret {SecretId} could not be read ({Problem}); create it or unset DEPOXY_API_HONEYCOMB_SECRET_ID")]
    private static partial void LogTracingOff(ILogger logger, string secretId, string problem);

    /// <summary>Spans end here when tracing has no key: the instrumentation stays cheap and nothing is sent.</summary>
    private sealed class NoExport : BaseProcessor<Activity>;
}
