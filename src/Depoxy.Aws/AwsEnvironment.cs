using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace Depoxy.Aws;

/// <summary>Credentials, region and endpoint overrides resolved the way the AWS CLI and SDKs resolve them.</summary>
public sealed record AwsEnvironment(AWSCredentials Credentials, RegionEndpoint Region, IReadOnlyDictionary<string, string> Variables)
{
    public const string CredentialsHelp =
        "no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (on GitHub Actions use aws-actions/configure-aws-credentials)";

    public static AwsEnvironment FromProcess()
    {
        var variables = Environment.GetEnvironmentVariables()
            .Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        AWSCredentials credentials;
        try
        {
            credentials = DefaultAWSCredentialsIdentityResolver.GetCredentials();
        }
        catch (AmazonClientException)
        {
            throw new AwsConfigurationException(CredentialsHelp);
        }
        var region = FallbackRegionFactory.GetRegionEndpoint() ?? RegionEndpoint.EUWest1;
        return new AwsEnvironment(credentials, region, variables);
    }

    public static AwsEnvironment ForEndpoint(Uri endpoint, string region = "eu-west-1") =>
        new(new BasicAWSCredentials("testing", "testing"), RegionEndpoint.GetBySystemName(region),
            new Dictionary<string, string> { ["AWS_ENDPOINT_URL"] = endpoint.ToString().TrimEnd('/') });

    /// <summary>
    /// The endpoint for a service: AWS_ENDPOINT_URL_&lt;SERVICE_ID&gt;, then AWS_ENDPOINT_URL, then the public one.
    /// </summary>
    public Uri EndpointFor(string serviceId, string publicHost)
    {
        var key = "AWS_ENDPOINT_URL_" + serviceId.ToUpperInvariant().Replace(' ', '_');
        if (Lookup(key) is { } specific) return new Uri(specific);
        if (Lookup("AWS_ENDPOINT_URL") is { } global) return new Uri(global);
        return new Uri($"https://{publicHost}");
    }

    public bool HasEndpointOverride(string serviceId) =>
        Lookup("AWS_ENDPOINT_URL_" + serviceId.ToUpperInvariant().Replace(' ', '_')) is not null || Lookup("AWS_ENDPOINT_URL") is not null;

    public AwsEnvironment WithRegion(string region) => this with { Region = RegionEndpoint.GetBySystemName(region) };

    private string? Lookup(string key) =>
        Variables.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.TrimEnd('/') : null;
}

public sealed class AwsConfigurationException(string message) : Exception(message);
