using Depoxy.Api.Auth;
using Depoxy.Api.Configuration;

namespace Depoxy.Api.Hosting;

public sealed record Health(string Status, string Stage, string Version);

/// <summary>
/// /api/v1/health, the Lambda Web Adapter's readiness path: ready only once the signing key is loaded and valid, so an
/// instance with a missing or malformed key never takes traffic and the deploy's smoke test fails instead of users.
/// </summary>
public static partial class HealthEndpoint
{
    public static void MapHealth(this RouteGroupBuilder api) => api.MapGet("/health", async (ApiSettings settings, SigningKeyProvider keys, ILogger<Health> logger) =>
    {
        try
        {
            await keys.GetAsync();
            return Results.Ok(new Health("ok", settings.Stage, settings.Version));
        }
        catch (SigningKeyUnavailableException e)
        {
            LogUnhealthy(logger, e.Message);
            return Results.Json(new Health("unavailable", settings.Stage, settings.Version), ApiJson.Default.Health,
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    });

    [LoggerMessage(EventId = 5030, Level = LogLevel.Error, Message = "unhealthy: {Problem}")]
    private static partial void LogUnhealthy(ILogger logger, string problem);
}
