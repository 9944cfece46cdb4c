using System.Text.Json;

namespace Depoxy.Api.Hosting;

/// <summary>
/// The CORS rules of modules/api-gateway/cors.json, embedded at build time. API Gateway's cors_configuration is built
/// from that file and is what browsers see in AWS (it replaces the function's CORS headers); the API applies the
/// same rules so local runs and tests behave as deployed.
/// </summary>
public sealed record CorsRules(
    IReadOnlyList<string> AllowMethods, IReadOnlyList<string> AllowHeaders, IReadOnlyList<string> ExposeHeaders,
    bool AllowCredentials, int MaxAgeSeconds)
{
    public const string ResourceName = "cors.json";

    public static CorsRules Embedded { get; } = Load();

    private static CorsRules Load()
    {
        using var stream = typeof(CorsRules).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded in Depoxy.Api: the project embeds modules/api-gateway/cors.json");
        return JsonSerializer.Deserialize(stream, ApiJson.Default.CorsRules)
            ?? throw new InvalidOperationException($"{ResourceName} holds JSON null");
    }
}
