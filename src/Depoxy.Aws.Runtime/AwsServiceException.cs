using System.Net;
using System.Text.Json;
using System.Xml.Linq;

namespace Depoxy.Aws;

public sealed class AwsServiceException(string service, HttpStatusCode status, string errorCode, string detail, TimeSpan? retryAfter = null)
    : Exception($"{service} answered {(int)status} {errorCode}: {detail}")
{
    public string Service { get; } = service;
    public HttpStatusCode StatusCode { get; } = status;
    public string ErrorCode { get; } = errorCode;
    public string Detail { get; } = detail;
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>Turns an AWS error response (rest-json, json 1.1 or rest-xml) into an <see cref="AwsServiceException"/>.</summary>
public static class AwsResponse
{
    public static async Task EnsureSuccessAsync(HttpResponseMessage response, string service, CancellationToken cancellationToken = default)
    {
        if (response.IsSuccessStatusCode) return;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var (code, message) = ParseError(body);
        if (response.Headers.TryGetValues("x-amzn-ErrorType", out var types) && types.FirstOrDefault() is { Length: > 0 } type)
            code = type.Split(':')[0];
        var retryAfter = response.Headers.RetryAfter?.Delta
            ?? (response.Headers.RetryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        throw new AwsServiceException(service, response.StatusCode, code ?? response.StatusCode.ToString(),
            message ?? (body.Length > 300 ? body[..300] : body), retryAfter);
    }

    private static (string? Code, string? Message) ParseError(string body)
    {
        var trimmed = body.TrimStart();
        try
        {
            if (trimmed.StartsWith('{'))
            {
                using var json = JsonDocument.Parse(trimmed);
                var root = json.RootElement;
                var code = Property(root, "__type") ?? Property(root, "code") ?? Property(root, "Type");
                return (code?.Split('#').Last(), Property(root, "message") ?? Property(root, "Message"));
            }
            if (trimmed.StartsWith('<'))
            {
                var error = XDocument.Parse(trimmed).Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
                return (Child(error, "Code"), Child(error, "Message"));
            }
        }
        catch (Exception e) when (e is JsonException or System.Xml.XmlException)
        {
        }
        return (null, null);
    }

    private static string? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string? Child(XElement? element, string name) =>
        element?.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
}
