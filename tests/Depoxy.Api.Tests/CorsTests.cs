using System.Net;
using System.Text.Json;
using Depoxy.Api.Hosting;
using Depoxy.Api.Tests.Support;
using Depoxy.Testing;
using Depoxy.Terraform.Tests;

namespace Depoxy.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class CorsTests(ApiFixture fixture)
{
    private static readonly string ModuleFolder = RepositoryRoot.Combine("modules", "api-gateway");

    private async Task<HttpResponseMessage> PreflightAsync(string origin, string method = "PUT", string headers = "content-type,if-match")
    {
        using var client = fixture.Api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/pipelines/x");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", headers);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Preflight_from_the_configured_origin_allows_credentials_and_if_match()
    {
        using var response = await PreflightAsync(ApiFixture.Origin);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(ApiFixture.Origin, Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal("true", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Credentials")));
        Assert.Contains("PUT", response.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.Contains("if-match", response.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("http://localhost:5174")]
    [InlineData("http://localhost:5173.evil.example")]
    [InlineData("null")]
    public async Task Other_origins_get_no_cors_headers(string origin)
    {
        using var response = await PreflightAsync(origin);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task Simple_request_from_the_origin_exposes_the_etag()
    {
        using var client = fixture.Api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/health");
        request.Headers.Add("Origin", ApiFixture.Origin);
        using var response = await client.SendAsync(request);
        Assert.Equal(ApiFixture.Origin, Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("etag", response.Headers.GetValues("Access-Control-Expose-Headers").Single(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task State_changing_request_from_another_origin_is_forbidden()
    {
        var (client, _) = await fixture.SignedInClientAsync();
        using (client)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/logout");
            request.Headers.Add("Origin", "https://sibling.depoxy.dev");
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.False(response.Headers.Contains("Set-Cookie"));
        }
    }

    [Fact]
    public void The_api_applies_the_very_rules_of_modules_api_gateway_cors_json()
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(ModuleFolder, "cors.json")));
        var root = file.RootElement;
        var embedded = CorsRules.Embedded;
        Assert.Equal(Strings(root, "allowMethods"), embedded.AllowMethods);
        Assert.Equal(Strings(root, "allowHeaders"), embedded.AllowHeaders);
        Assert.Equal(Strings(root, "exposeHeaders"), embedded.ExposeHeaders);
        Assert.Equal(root.GetProperty("allowCredentials").GetBoolean(), embedded.AllowCredentials);
        Assert.Equal(root.GetProperty("maxAgeSeconds").GetInt32(), embedded.MaxAgeSeconds);
        Assert.Subset(embedded.AllowHeaders.ToHashSet(), new HashSet<string> { "authorization", "content-type", "if-match" });
        Assert.Contains("etag", embedded.ExposeHeaders);
        Assert.Subset(embedded.AllowMethods.ToHashSet(), new HashSet<string> { "GET", "POST", "PUT", "DELETE" });
    }

    [Fact]
    public async Task Api_gateways_cors_configuration_is_built_from_cors_json_and_nothing_else()
    {
        var parsed = (await Hcl.ParseAsync(RepositoryRoot.Path, "modules/api-gateway"))["modules/api-gateway/main.tf"];
        Assert.Null(Hcl.Error(parsed));
        var locals = parsed.GetProperty("locals")[0];
        Assert.Equal("${jsondecode(file(\"${path.module}/cors.json\"))}", locals.GetProperty("cors").GetString());
        var cors = parsed.GetProperty("resource").GetProperty("aws_apigatewayv2_api").GetProperty("api")[0].GetProperty("cors_configuration")[0];
        var expected = new Dictionary<string, string>
        {
            ["allow_origins"] = "${var.cors-allow-origins}",
            ["allow_methods"] = "${local.cors.allowMethods}",
            ["allow_headers"] = "${local.cors.allowHeaders}",
            ["expose_headers"] = "${local.cors.exposeHeaders}",
            ["allow_credentials"] = "${local.cors.allowCredentials}",
            ["max_age"] = "${local.cors.maxAgeSeconds}",
        };
        Assert.Equal(expected, cors.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!));
    }

    [Fact]
    public async Task Preflight_answers_exactly_the_methods_and_headers_of_cors_json()
    {
        var rules = CorsRules.Embedded;
        using var response = await PreflightAsync(ApiFixture.Origin, "DELETE", string.Join(',', rules.AllowHeaders));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(rules.AllowMethods.Order(), response.Headers.GetValues("Access-Control-Allow-Methods").Single().Split(',').Select(m => m.Trim()).Order());
        Assert.Equal(rules.AllowHeaders.Order(), response.Headers.GetValues("Access-Control-Allow-Headers").Single().Split(',').Select(h => h.Trim().ToLowerInvariant()).Order());
        Assert.Equal(rules.MaxAgeSeconds.ToString(), response.Headers.GetValues("Access-Control-Max-Age").Single());
    }

    private static List<string> Strings(JsonElement root, string name) => root.GetProperty(name).EnumerateArray().Select(e => e.GetString()!).ToList();
}
