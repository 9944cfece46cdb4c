using Depoxy.Api.Configuration;
using Depoxy.Api.Tests.Support;

namespace Depoxy.Api.Tests;

public sealed class ConfigurationTests
{
    private static ApiSettings Read(Dictionary<string, string?> variables) =>
        ApiSettingsReader.Read(name => variables.GetValueOrDefault(name));

    private static IReadOnlyList<string> Problems(Dictionary<string, string?> variables) =>
        Assert.Throws<ApiConfigurationException>(() => Read(variables)).Problems;

    [Fact]
    public void Complete_configuration_is_read()
    {
        var variables = ApiFixture.Settings();
        variables["DEPOXY_API_ALLOWED_EMAIL_DOMAINS"] = "Depoxy.dev, datadeft.eu";
        variables["DEPOXY_API_HONEYCOMB_SECRET_ID"] = "dev/depoxy/api/honeycomb";
        variables["AWS_LWA_PORT"] = "9000";
        variables["PORT"] = "7000";
        var settings = Read(variables);
        Assert.Equal("test", settings.Stage);
        Assert.Equal(TimeSpan.FromDays(1), settings.SessionLifetime);
        Assert.False(settings.CookieSecure);
        Assert.Equal(["depoxy.dev", "datadeft.eu"], settings.AllowedEmailDomains);
        Assert.True(settings.IsAllowedEmail("ada@DEPOXY.dev"));
        Assert.False(settings.IsAllowedEmail("ada@depoxy.dev.evil.example"));
        Assert.Equal("dev/depoxy/api/honeycomb", settings.HoneycombSecretId);
        Assert.Equal(9000, settings.ListenPort);
    }

    [Fact]
    public void Optional_variables_have_defaults()
    {
        var variables = ApiFixture.Settings();
        variables.Remove("DEPOXY_API_VERSION");
        var settings = Read(variables);
        Assert.Null(settings.HoneycombSecretId);
        Assert.Empty(settings.AllowedEmailDomains);
        Assert.Equal("local", settings.Version);
        Assert.Equal(8080, settings.ListenPort);
    }

    [Fact]
    public void Empty_environment_names_every_required_variable_once()
    {
        var problems = Problems([]);
        Assert.Equal(ApiSettingsReader.Required.Count, problems.Count);
        foreach (var name in ApiSettingsReader.Required)
            Assert.Single(problems, p => p.StartsWith(name + " ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("DEPOXY_API_STAGE", "Dev Stage")]
    [InlineData("DEPOXY_API_COOKIE_MAX_AGE_DAYS", "one")]
    [InlineData("DEPOXY_API_COOKIE_MAX_AGE_DAYS", "0")]
    [InlineData("DEPOXY_API_COOKIE_MAX_AGE_DAYS", "8")]
    [InlineData("DEPOXY_API_COOKIE_SECURITY", "yes")]
    [InlineData("DEPOXY_API_CORS_ALLOW_ORIGIN", "*")]
    [InlineData("DEPOXY_API_CORS_ALLOW_ORIGIN", "https://app.depoxy.dev/")]
    [InlineData("DEPOXY_API_CORS_ALLOW_ORIGIN", "https://app.depoxy.dev/app")]
    [InlineData("DEPOXY_API_CORS_ALLOW_ORIGIN", "ftp://app.depoxy.dev")]
    [InlineData("DEPOXY_API_JWT_ALGORITHM", "HS256")]
    [InlineData("DEPOXY_API_JWT_ALGORITHM", "none")]
    [InlineData("DEPOXY_API_JWT_AUDIENCE", "has space")]
    [InlineData("DEPOXY_API_JWT_SECRET_ID", "bad secret")]
    [InlineData("DEPOXY_API_S3_BUCKET", "Depoxy_Bucket")]
    [InlineData("DEPOXY_API_S3_PREFIX", "/api/")]
    [InlineData("DEPOXY_API_SES_SENDER_ADDRESS", "login")]
    [InlineData("DEPOXY_API_HONEYCOMB_SECRET_ID", "has space")]
    [InlineData("DEPOXY_API_ALLOWED_EMAIL_DOMAINS", "depoxy.dev,not a domain")]
    [InlineData("DEPOXY_API_VERSION", "1.0 beta")]
    [InlineData("AWS_LWA_PORT", "70000")]
    [InlineData("PORT", "http")]
    public void Malformed_variable_is_named_in_one_line(string name, string value)
    {
        var variables = ApiFixture.Settings();
        variables[name] = value;
        var problem = Assert.Single(Problems(variables));
        Assert.StartsWith($"{name}='{value}'", problem);
        Assert.DoesNotContain('\n', problem);
    }

    [Theory]
    [InlineData("dev", "true", "__Host-depoxy-dev-session")]
    [InlineData("prod", "true", "__Host-depoxy-prod-session")]
    [InlineData("local", "false", "depoxy-local-session")]
    public void Cookie_name_is_per_stage_and_host_prefixed_when_secure(string stage, string secure, string name)
    {
        var variables = ApiFixture.Settings();
        variables["DEPOXY_API_STAGE"] = stage;
        variables["DEPOXY_API_COOKIE_SECURITY"] = secure;
        Assert.Equal(name, Read(variables).CookieName);
    }
}
