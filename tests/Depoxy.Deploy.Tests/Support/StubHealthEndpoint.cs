using System.Net;
using System.Text;

namespace Depoxy.Deploy.Tests.Support;

/// <summary>Test stand-in for the public URL (CloudFront → API): answers /api/v1/health from a script of responses.</summary>
public sealed class StubHealthEndpoint(params (HttpStatusCode Status, string Body)[] script) : HttpMessageHandler
{
    private int _next;

    public List<Uri> Requests { get; } = [];

    public static string Health(string version) => $$"""{"status":"ok","stage":"dev","version":"{{version}}"}""";

    /// <summary>A script entry that refuses the connection, as a server still starting does.</summary>
    public static readonly (HttpStatusCode Status, string Body) Refused = (0, "Connection refused");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(request.RequestUri!);
        var (status, body) = script[Math.Min(_next++, script.Length - 1)];
        if (status == Refused.Status) throw new HttpRequestException(body);
        return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }
}
