using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Depoxy.Api.Tests.Support;

namespace Depoxy.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class PipelineTests(ApiFixture fixture)
{
    private static object Pipeline(string name = "Orders") => new
    {
        name,
        source = new { kind = "s3", location = "s3://landing/orders/" },
        steps = Array.Empty<object>(),
        destination = new { kind = "s3", location = "s3://curated/orders/" },
    };

    private static async Task<string> CreateAsync(HttpClient client, string id, object? pipeline = null)
    {
        using var created = await client.PutAsJsonAsync($"/api/v1/pipelines/{id}", pipeline ?? Pipeline());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return created.Headers.ETag!.Tag;
    }

    private static async Task<HttpResponseMessage> PutAsync(HttpClient client, string id, object pipeline, string? ifMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/pipelines/{id}") { Content = JsonContent.Create(pipeline) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Another_users_pipeline_id_is_not_found_and_stays_untouched()
    {
        var (alice, _) = await fixture.SignedInClientAsync();
        var (bob, _) = await fixture.SignedInClientAsync();
        using (alice)
        using (bob)
        {
            var etag = await CreateAsync(alice, "shared-name", Pipeline("Alice's"));

            using (var read = await bob.GetAsync("/api/v1/pipelines/shared-name"))
                Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
            using (var delete = await bob.DeleteAsync("/api/v1/pipelines/shared-name"))
                Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
            using (var overwrite = await PutAsync(bob, "shared-name", Pipeline("Bob's"), etag))
                Assert.Equal(HttpStatusCode.PreconditionFailed, overwrite.StatusCode);
            Assert.Empty((await bob.GetFromJsonAsync<JsonElement>("/api/v1/pipelines")).GetProperty("pipelines").EnumerateArray());

            var still = await alice.GetFromJsonAsync<JsonElement>("/api/v1/pipelines/shared-name");
            Assert.Equal("Alice's", still.GetProperty("name").GetString());
        }
    }

    [Theory]
    [InlineData("..%2F..%2Fusers%2Fother%2Fpipelines%2Fx")]
    [InlineData("....")]
    [InlineData("..%5Cx")]
    [InlineData("x.json")]
    [InlineData("Orders")]
    [InlineData("-leading-dash")]
    [InlineData("a%20b")]
    [InlineData("a%0A")]
    public async Task Id_outside_the_id_alphabet_is_a_bad_request(string id)
    {
        var (client, _) = await fixture.SignedInClientAsync();
        using (client)
        {
            using var read = await client.GetAsync($"/api/v1/pipelines/{id}");
            Assert.Equal(HttpStatusCode.BadRequest, read.StatusCode);
            using var write = await PutAsync(client, id, Pipeline(), null);
            Assert.Equal(HttpStatusCode.BadRequest, write.StatusCode);
            using var delete = await client.DeleteAsync($"/api/v1/pipelines/{id}");
            Assert.Equal(HttpStatusCode.BadRequest, delete.StatusCode);
        }
    }

    [Fact]
    public async Task Stale_if_match_is_refused_and_the_newer_version_kept()
    {
        var (client, _) = await fixture.SignedInClientAsync();
        using (client)
        {
            var first = await CreateAsync(client, "nightly");
            using (var update = await PutAsync(client, "nightly", Pipeline("Second"), first))
                Assert.Equal(HttpStatusCode.OK, update.StatusCode);
            using (var stale = await PutAsync(client, "nightly", Pipeline("Lost update"), first))
                Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
            using (var staleDelete = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/pipelines/nightly"))
            {
                staleDelete.Headers.IfMatch.Add(new EntityTagHeaderValue(first));
                using var response = await client.SendAsync(staleDelete);
                Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
            }
            Assert.Equal("Second", (await client.GetFromJsonAsync<JsonElement>("/api/v1/pipelines/nightly")).GetProperty("name").GetString());
        }
    }

    [Fact]
    public async Task Replacing_without_if_match_needs_a_precondition()
    {
        var (client, _) = await fixture.SignedInClientAsync();
        using (client)
        {
            await CreateAsync(client, "daily");
            using var blind = await PutAsync(client, "daily", Pipeline("Blind overwrite"), null);
            Assert.Equal((HttpStatusCode)428, blind.StatusCode);
            Assert.Equal("Orders", (await client.GetFromJsonAsync<JsonElement>("/api/v1/pipelines/daily")).GetProperty("name").GetString());
        }
    }

    [Fact]
    public async Task Body_over_1_MiB_is_refused()
    {
        var (client, _) = await fixture.SignedInClientAsync();
        using (client)
        {
            var huge = new { name = "Huge", description = new string('x', 1024 * 1024), source = new { kind = "s3", location = "s3://a/b" }, steps = Array.Empty<object>(), destination = new { kind = "s3", location = "s3://c/d" } };
            using var response = await PutAsync(client, "huge", huge, null);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            using var missing = await client.GetAsync("/api/v1/pipelines/huge");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

            using var magicLink = await client.PostAsync("/api/v1/auth/magic-link",
                new StringContent(new string(' ', 1024 * 1024 + 1), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, magicLink.StatusCode);
        }
    }

    [Fact]
    public async Task Body_of_exactly_1_MiB_is_read()
    {
        var (client, _) = await fixture.SignedInClientAsync();
        using (client)
        {
            var padding = new string(' ', 1024 * 1024 - JsonSerializer.SerializeToUtf8Bytes(Pipeline()).Length);
            var body = JsonSerializer.Serialize(Pipeline()) + padding;
            Assert.Equal(1024 * 1024, Encoding.UTF8.GetByteCount(body));
            using var response = await client.PutAsync("/api/v1/pipelines/padded", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("""{"name":"x","source":{"kind":"s3","location":"https://not-s3/x"},"steps":[],"destination":{"kind":"s3","location":"s3://b/k"}}""", "source.location")]
    [InlineData("""{"name":"","source":{"kind":"s3","location":"s3://a/b"},"steps":[],"destination":{"kind":"s3","location":"s3://b/k"}}""", "name")]
    [InlineData("""{"name":"x","source":{"kind":"s3","location":"s3://a/b"},"steps":[],"destination":{"kind":"postgres","location":"postgres://u:hunter2@db/x"}}""", "destination.location")]
    [InlineData("""{"name":"x","schedule":"every now and then","source":{"kind":"s3","location":"s3://a/b"},"steps":[],"destination":{"kind":"s3","location":"s3://b/k"}}""", "schedule")]
    [InlineData("""{"name":"x","source":{"kind":"s3","location":"s3://a/b"},"steps":[{"name":"a","kind":"map","expression":"1"},{"name":"a","kind":"map","expression":"2"}],"destination":{"kind":"s3","location":"s3://b/k"}}""", "steps.a")]
    [InlineData("""{"name":"x","source":{"kind":"ftp","location":"s3://a/b"},"steps":[],"destination":{"kind":"s3","location":"s3://b/k"}}""", "$.source.kind")]
    [InlineData("""{"name":"x","source":{"kind":"s3","location":"s3://a/b"},"steps":[],"destination":{"kind":"s3","location":"s3://b/k"},"owner":"root"}""", "$")]
    [InlineData("""{"name":"x","source":{"kind":"s3","location":"s3://a/b"},"destination":{"kind":"s3","location":"s3://b/k"}}""", "$")]
    [InlineData("""{"name":"x","source":{"kind":"s3","location":"s3://a/b"},"steps":[null],"destination":{"kind":"s3","location":"s3://b/k"}}""", "steps[0]")]
    [InlineData("""not json""", "$")]
    public async Task Invalid_pipeline_is_refused_naming_the_field(string json, string field)
    {
        var (client, _) = await fixture.SignedInClientAsync();
        using (client)
        {
            using var response = await client.PutAsync("/api/v1/pipelines/bad", new StringContent(json, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
            Assert.True(errors.EnumerateObject().Any(e => e.Name.StartsWith(field, StringComparison.Ordinal)), $"no error for {field}: {errors}");
        }
    }

    [Fact]
    public async Task Pipelines_need_a_session()
    {
        using var client = fixture.Api.CreateClient();
        using var list = await client.GetAsync("/api/v1/pipelines");
        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        using var put = await client.PutAsJsonAsync("/api/v1/pipelines/x", Pipeline());
        Assert.Equal(HttpStatusCode.Unauthorized, put.StatusCode);
    }
}
