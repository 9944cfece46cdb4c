using System.Net;
using System.Text;

namespace Depoxy.Aws.Tests.Support;

public sealed record CapturedRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? ContentType, string Body);

/// <summary>
/// The transport under <see cref="SignedHttpClient"/> in unit tests: records each signed request as it would go on
/// the wire and answers with the next queued response.
/// </summary>
public sealed class CapturingHandler : HttpMessageHandler
{
    private readonly Queue<Func<HttpResponseMessage>> _responses = new();

    public List<CapturedRequest> Requests { get; } = [];

    public CapturingHandler Respond(HttpStatusCode status, string json = "{}", Action<HttpResponseMessage>? configure = null)
    {
        _responses.Enqueue(() =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            configure?.Invoke(response);
            return response;
        });
        return this;
    }

    /// <summary>A Lambda error as the service sends it: x-amzn-ErrorType header and a {Type, message} body.</summary>
    public CapturingHandler RespondError(HttpStatusCode status, string errorType, string message, Action<HttpResponseMessage>? configure = null) =>
        Respond(status, $$"""{"Type":"User","message":"{{message}}"}""", response =>
        {
            response.Headers.TryAddWithoutValidation("x-amzn-ErrorType", errorType + ":http://internal.amazon.com/coral/com.amazonaws.awslambda/");
            configure?.Invoke(response);
        });

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        if (request.Content is not null)
            foreach (var header in request.Content.Headers)
                headers[header.Key.ToLowerInvariant()] = string.Join(",", header.Value);
        Requests.Add(new CapturedRequest(request.Method, request.RequestUri!, headers, request.Content?.Headers.ContentType?.ToString(), body));
        if (_responses.Count == 0)
            throw new InvalidOperationException($"no response queued for {request.Method} {request.RequestUri}");
        return _responses.Dequeue()();
    }
}
