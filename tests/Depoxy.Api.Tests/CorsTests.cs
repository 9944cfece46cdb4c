using System.Net;
using Depoxy.Api.Tests.Support;

namespace Depoxy.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class CorsTests(ApiFixture fixture)
{
    private async Task<HttpResponseMessage> PreflightAsync(string origin)
    {
        using var client = fixture.Api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/pipelines/x");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "PUT");
        request.Headers.Add("Access-Control-Request-Headers", "content-type,if-match");
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Preflight_from_the_configured_origin_allows_credentials()
    {
        using var response = await PreflightAsync(ApiFixture.Origin);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(ApiFixture.Origin, Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal("true", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Credentials")));
        Assert.Contains("PUT", response.Headers.GetValues("Access-Control-Allow-Methods").Single());
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
        Assert.Contains("ETag", response.Headers.GetValues("Access-Control-Expose-Headers").Single());
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
}
