using System.Net;
using System.Net.Http.Json;
using System.Text;
using Depoxy.Api.Tests.Support;

namespace Depoxy.Api.Tests;

/// <summary>Errors say what is wrong in the caller's terms and never show the API's insides.</summary>
[Collection(ApiCollection.Name)]
public sealed class ErrorTests(ApiFixture fixture)
{
    /// <summary>A body sent chunked, with no Content-Length, as a client streaming it would.</summary>
    private sealed class ChunkedContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Theory]
    [InlineData("/api/v1/pipelines/chunked", "PUT")]
    [InlineData("/api/v1/auth/magic-link", "POST")]
    public async Task An_oversized_chunked_body_is_413(string path, string method)
    {
        var (client, _) = await fixture.SignedInClientAsync();
        using (client)
        {
            var body = Encoding.UTF8.GetBytes("{\"name\":\"" + new string('x', 1024 * 1024) + "\"}");
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ChunkedContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_small_chunked_body_is_read()
    {
        using var client = fixture.Api.CreateClient();
        var body = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(ApiFixture.MagicLinkBody(ApiFixture.NewEmail())));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/magic-link") { Content = new ChunkedContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"name":null,"source":{"kind":"s3","location":"s3://a/b"},"steps":[],"destination":{"kind":"s3","location":"s3://b/k"}}""")]
    [InlineData("""[1, 2, 3]""")]
    [InlineData("""{"name":"x","source":{"kind":"s3","location":"s3://a/b"},"steps":{},"destination":{"kind":"s3","location":"s3://b/k"}}""")]
    [InlineData("""{"name":"x","source":{"kind":"s3","location":"s3://a/b"},"steps":[],"destination":{"kind":1,"location":"s3://b/k"}}""")]
    public async Task A_malformed_pipeline_is_refused_without_naming_internal_types(string json)
    {
        var (client, _) = await fixture.SignedInClientAsync();
        using (client)
        {
            using var response = await client.PutAsync("/api/v1/pipelines/bad", new StringContent(json, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("Depoxy.", text);
            Assert.DoesNotContain("System.", text);
            Assert.DoesNotContain("nullability", text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData("""{"email": 5}""")]
    [InlineData("""{"email": "a@b.co", "firstName": ["x"]}""")]
    [InlineData("""not json""")]
    public async Task A_malformed_magic_link_request_is_a_bad_request_without_internals(string json)
    {
        using var client = fixture.Api.CreateClient();
        using var response = await client.PostAsync("/api/v1/auth/magic-link", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Depoxy.", text);
        Assert.DoesNotContain("System.", text);
    }

    [Fact]
    public async Task Each_link_request_and_sign_in_writes_one_audit_line_without_address_or_token()
    {
        using var client = fixture.Api.CreateClient();
        var email = ApiFixture.NewEmail();
        var before = fixture.Logs.Lines.Count;
        var token = await fixture.RequestLinkAsync(client, email);
        using (var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { hash = token }))
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);

        var pseudonym = Auth.Audit.Pseudonym(email);
        var audit = fixture.Logs.Lines.Skip(before).Where(l => l.EventName.StartsWith("audit.", StringComparison.Ordinal) && l.Message.Contains(pseudonym)).ToList();
        Assert.Equal(["audit.magic-link", "audit.sign-in"], audit.Select(l => l.EventName));
        Assert.Contains("sent", audit[0].Message);
        Assert.Contains("signed-in", audit[1].Message);
        Assert.All(audit, l =>
        {
            Assert.DoesNotContain(email, l.Message);
            Assert.DoesNotContain(token, l.Message);
        });
    }
}
