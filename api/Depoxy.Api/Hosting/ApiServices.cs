using Depoxy.Api.Auth;
using Depoxy.Api.Configuration;
using Depoxy.Api.Observability;
using Depoxy.Api.Pipelines;
using Depoxy.Aws;
using Depoxy.Aws.SecretsManager;
using Depoxy.Aws.SesV2;
using Microsoft.AspNetCore.Authentication;

namespace Depoxy.Api.Hosting;

public static class ApiServices
{
    /// <summary>Everything the API resolves; tests replace <see cref="AwsEnvironment"/> and <see cref="TimeProvider"/>.</summary>
    public static IServiceCollection AddDepoxyApi(this IServiceCollection services, ApiSettings settings, IConfiguration configuration)
    {
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => AwsEnvironment.FromProcess());
        services.AddSingleton(sp => S3ClientFactory.Create(sp.GetRequiredService<AwsEnvironment>()));
        services.AddSingleton(sp => SecretsManagerClient.Create(sp.GetRequiredService<AwsEnvironment>()));
        services.AddSingleton(sp => SesV2Client.Create(sp.GetRequiredService<AwsEnvironment>()));
        services.AddSingleton<SigningKeyProvider>();
        services.AddSingleton<SessionTokens>();
        services.AddSingleton<SessionCookie>();
        services.AddSingleton<MagicLinkStore>();
        services.AddSingleton<LoginMailer>();
        services.AddSingleton<PipelineStore>();
        services.AddAuthentication(SessionAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, SessionAuthenticationHandler>(SessionAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .WithOrigins(settings.CorsAllowOrigin)
            .AllowCredentials()
            .WithMethods("GET", "PUT", "POST", "DELETE")
            .WithHeaders("Content-Type", "If-Match", "If-None-Match")
            .WithExposedHeaders("ETag")
            .SetPreflightMaxAge(TimeSpan.FromHours(1))));
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.UnmappedMemberHandling = JsonDefaults.Web.UnmappedMemberHandling;
            json.SerializerOptions.DefaultIgnoreCondition = JsonDefaults.Web.DefaultIgnoreCondition;
            foreach (var converter in JsonDefaults.Web.Converters) json.SerializerOptions.Converters.Add(converter);
        });
        services.AddDepoxyTelemetry(settings, configuration);
        return services;
    }
}
