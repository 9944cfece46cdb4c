using Depoxy.Api.Auth;
using Depoxy.Api.Configuration;
using Depoxy.Api.Observability;
using Depoxy.Api.Pipelines;
using Depoxy.Api.Storage;
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
        services.AddSingleton<S3Documents>();
        services.AddSingleton<SigningKeyProvider>();
        services.AddSingleton<SessionTokens>();
        services.AddSingleton<SessionCookie>();
        services.AddSingleton<SessionRevocations>();
        services.AddSingleton<MagicLinkStore>();
        services.AddSingleton<LoginMailer>();
        services.AddSingleton<Audit>();
        services.AddSingleton<PipelineStore>();
        // Only endpoints that require authorization authenticate (see the handler), so public routes never read the
        // cookie: a broken key or an S3 hiccup cannot break health, sign-in or link requests through it.
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, SessionAuthenticationHandler>(SessionAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder().SetDefaultPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder(SessionAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser().Build());
        var cors = CorsRules.Embedded;
        services.AddCors(options => options.AddDefaultPolicy(policy =>
        {
            policy.WithOrigins(settings.CorsAllowOrigin)
                .WithMethods([.. cors.AllowMethods])
                .WithHeaders([.. cors.AllowHeaders])
                .WithExposedHeaders([.. cors.ExposeHeaders])
                .SetPreflightMaxAge(TimeSpan.FromSeconds(cors.MaxAgeSeconds));
            if (cors.AllowCredentials) policy.AllowCredentials();
        }));
        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJson.Default);
            json.SerializerOptions.UnmappedMemberHandling = ApiJson.Default.Options.UnmappedMemberHandling;
            json.SerializerOptions.DefaultIgnoreCondition = ApiJson.Default.Options.DefaultIgnoreCondition;
        });
        services.AddDepoxyTelemetry(settings, configuration);
        return services;
    }
}
