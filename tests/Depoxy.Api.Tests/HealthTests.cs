using System.Net.Http.Json;
using System.Text.Json;
using Depoxy.Api.Tests.Support;

namespace Depoxy.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class HealthTests(ApiFixture fixture)
{
    [Fact]
    public async Task Health_answers_without_auth_with_stage_and_version()
    {
        using var client = fixture.Api.CreateClient();
        var health = await client.GetFromJsonAsync<JsonElement>("/api/v1/health");
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal("test", health.GetProperty("stage").GetString());
        Assert.Equal("1.2.3-test", health.GetProperty("version").GetString());
    }
}
