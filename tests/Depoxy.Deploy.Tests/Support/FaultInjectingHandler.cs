using System.Net;
using System.Text;

namespace Depoxy.Deploy.Tests.Support;

/// <summary>
/// Test stand-in for faults moto cannot produce: sits between the signing handler and the socket and answers the
/// first <paramref name="times"/> matching requests with a Lambda-style error instead of forwarding them.
/// </summary>
public sealed class FaultInjectingHandler(Func<HttpRequestMessage, bool> match, HttpStatusCode status, string errorType, int times = 1)
    : DelegatingHandler(new SocketsHttpHandler())
{
    private int _remaining = times;

    public List<string> Seen { get; } = [];

    public int Injected { get; private set; }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Seen.Add($"{request.Method} {request.RequestUri!.AbsolutePath}");
        if (!match(request) || _remaining <= 0) return base.SendAsync(request, cancellationToken);
        _remaining--;
        Injected++;
        var response = new HttpResponseMessage(status)
        {
            Content = new StringContent("""{"Type":"User","message":"An update is in progress for resource (injected)"}""", Encoding.UTF8, "application/json"),
        };
        response.Headers.TryAddWithoutValidation("x-amzn-ErrorType", errorType);
        return Task.FromResult(response);
    }
}
