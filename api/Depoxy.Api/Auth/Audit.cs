using System.Net;
using Depoxy.Api.Storage;

namespace Depoxy.Api.Auth;

/// <summary>
/// One log line per sign-in attempt and per link request, for tracing abuse: the outcome, and who and from where as
/// sha256 prefixes, never an address, a token or a jti in clear.
/// </summary>
public sealed partial class Audit(ILogger<Audit> logger)
{
    public static string Pseudonym(string value) => S3Documents.Sha256(value)[..16];

    public void LinkRequested(string email, string source, string outcome) => LogLinkRequest(logger, outcome, Pseudonym(email), Pseudonym(source));

    public void SignIn(string? email, string source, string outcome) => LogSignIn(logger, outcome, email is null ? "-" : Pseudonym(email), Pseudonym(source));

    public void SignOut(string email, string source, string outcome) => LogSignOut(logger, outcome, Pseudonym(email), Pseudonym(source));

    [LoggerMessage(EventId = 1001, EventName = "audit.magic-link", Level = LogLevel.Information,
        Message = "audit magic-link {Outcome} user={User} source={Source}")]
    private static partial void LogLinkRequest(ILogger logger, string outcome, string user, string source);

    [LoggerMessage(EventId = 1002, EventName = "audit.sign-in", Level = LogLevel.Information,
        Message = "audit sign-in {Outcome} user={User} source={Source}")]
    private static partial void LogSignIn(ILogger logger, string outcome, string user, string source);

    [LoggerMessage(EventId = 1003, EventName = "audit.sign-out", Level = LogLevel.Information,
        Message = "audit sign-out {Outcome} user={User} source={Source}")]
    private static partial void LogSignOut(ILogger logger, string outcome, string user, string source);
}

/// <summary>
/// The client's address. Behind CloudFront that is CloudFront-Viewer-Address (set by CloudFront from the TCP
/// connection; the API distribution's origin request policy forwards it); behind API Gateway alone, the source IP the
/// Lambda Web Adapter passes in x-amzn-request-context; run locally, the connection's peer.
/// </summary>
public static class SourceAddress
{
    public static string Of(HttpContext context)
    {
        if (context.Request.Headers["CloudFront-Viewer-Address"].ToString() is { Length: > 0 } viewer)
        {
            // "ip:port", the IPv6 form unbracketed: the port is after the last colon.
            var colon = viewer.LastIndexOf(':');
            if (colon > 0 && IPAddress.TryParse(viewer[..colon], out var ip)) return ip.ToString();
        }
        if (context.Request.Headers["x-amzn-request-context"].ToString() is { Length: > 0 } requestContext)
        {
            try
            {
                using var json = System.Text.Json.JsonDocument.Parse(requestContext);
                if (json.RootElement.TryGetProperty("http", out var http) && http.TryGetProperty("sourceIp", out var sourceIp)
                    && IPAddress.TryParse(sourceIp.GetString(), out var ip))
                    return ip.ToString();
            }
            catch (System.Text.Json.JsonException)
            {
            }
        }
        return context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }
}
