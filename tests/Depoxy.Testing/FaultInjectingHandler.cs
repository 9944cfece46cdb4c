using System.Net;
using System.Text;

namespace Depoxy.Testing;

/// <summary>
/// Test stand-in for faults moto cannot produce: sits between a signed client and moto and answers the first
/// <paramref name="times"/> matching requests with an AWS-style error instead of forwarding them. The one fault
/// handler of every test project; <see cref="Recording"/> injects nothing and only lists the requests.
/// </summary>
public sealed class FaultInjectingHandler(Func<HttpRequestMessage, bool> match, HttpStatusCode status, string errorType, string contentType, string body, int times = 1)
    : DelegatingHandler(new SocketsHttpHandler())
{
    private int _remaining = times;

    public List<string> Seen { get; } = [];

    public int Injected { get; private set; }

    /// <summary>Forwards every request and lists it in <see cref="Seen"/>.</summary>
    public static FaultInjectingHandler Recording() => new(_ => false, HttpStatusCode.OK, "", "text/plain", "", times: 0);

    /// <summary>A Lambda rest-json error (the type travels in x-amzn-ErrorType).</summary>
    public static FaultInjectingHandler Lambda(Func<HttpRequestMessage, bool> match, HttpStatusCode status, string errorType, int times = 1) =>
        new(match, status, errorType, "application/json", $$"""{"Type":"User","message":"{{errorType}} (injected by the test)"}""", times);

    /// <summary>A CloudFront rest-xml error.</summary>
    public static FaultInjectingHandler CloudFront(Func<HttpRequestMessage, bool> match, HttpStatusCode status, string errorCode, int times = 1) =>
        new(match, status, errorCode, "text/xml",
            $"""<?xml version="1.0"?><ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Error><Type>Receiver</Type><Code>{errorCode}</Code><Message>injected by the test</Message></Error><RequestId>test</RequestId></ErrorResponse>""",
            times);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Seen) Seen.Add($"{request.Method} {request.RequestUri!.AbsolutePath}");
        if (!match(request) || Interlocked.Decrement(ref _remaining) < 0) return base.SendAsync(request, cancellationToken);
        Injected++;
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        response.Headers.TryAddWithoutValidation("x-amzn-ErrorType", errorType);
        return Task.FromResult(response);
    }
}
