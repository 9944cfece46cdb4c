using System.Text.RegularExpressions;

namespace Depoxy.Testing.Iam;

/// <summary>
/// The AWS requests terraform logged with TF_LOG=DEBUG: the S3 backend's and the provider's "HTTP Request Sent"
/// lines carry the SDK's service id and the API operation.
/// </summary>
public static partial class TerraformRequestLog
{
    /// <summary>The SDK's service ids of the services tf/ uses, as IAM prefixes.</summary>
    private static readonly Dictionary<string, string> IamPrefixes = new(StringComparer.Ordinal)
    {
        ["S3"] = "s3", ["STS"] = "sts", ["IAM"] = "iam", ["Lambda"] = "lambda", ["CloudFront"] = "cloudfront",
        ["CloudWatch Logs"] = "logs", ["ApiGatewayV2"] = "apigateway", ["ACM"] = "acm", ["SecretsManager"] = "secretsmanager",
        ["SESv2"] = "ses",
    };

    /// <summary>Each distinct (IAM prefix, operation) in the logs of a folder; a service outside the table keeps its SDK id, so it shows.</summary>
    public static IReadOnlySet<(string Service, string Operation)> Operations(string directory) =>
        Directory.EnumerateFiles(directory, "*.log")
            .SelectMany(File.ReadLines)
            .Where(line => line.Contains("HTTP Request Sent", StringComparison.Ordinal))
            .Select(line => (Service: Field(line, "rpc.service"), Operation: Field(line, "rpc.method")))
            .Where(request => request.Service is not null && request.Operation is not null)
            .Select(request => (IamPrefixes.GetValueOrDefault(request.Service!, request.Service!), request.Operation!))
            .ToHashSet();

    private static string? Field(string line, string name)
    {
        var match = FieldPattern().Matches(line).FirstOrDefault(m => m.Groups["name"].Value == name);
        return match is null ? null : match.Groups["quoted"].Success ? match.Groups["quoted"].Value : match.Groups["bare"].Value;
    }

    [GeneratedRegex("""(?<name>[\w.]+)=(?:"(?<quoted>[^"]*)"|(?<bare>\S+))""")]
    private static partial Regex FieldPattern();
}
