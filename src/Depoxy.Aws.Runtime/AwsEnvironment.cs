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

    /// <summary>
    /// A local endpoint standing in for every AWS service (moto): its own credentials and region, so nothing of the
    /// process's AWS settings (profile, keys, session token) reaches it, and nothing it does can reach AWS.
    /// </summary>
    public static AwsEnvironment ForEndpoint(Uri endpoint, string region = "eu-west-1")
    {
        const string key = "testing";
        var url = endpoint.ToString().TrimEnd('/');
        return new AwsEnvironment(new BasicAWSCredentials(key, key), RegionEndpoint.GetBySystemName(region),
            new Dictionary<string, string> { ["AWS_ENDPOINT_URL"] = url })
        {
            ChildProcessVariables = new Dictionary<string, string?>
            {
                ["AWS_ENDPOINT_URL"] = url,
                ["AWS_ACCESS_KEY_ID"] = key,
                ["AWS_SECRET_ACCESS_KEY"] = key,
                ["AWS_SESSION_TOKEN"] = null,
                ["AWS_PROFILE"] = null,
                ["AWS_DEFAULT_PROFILE"] = null,
                ["AWS_REGION"] = region,
                ["AWS_DEFAULT_REGION"] = region,
                ["AWS_CONFIG_FILE"] = "/dev/null",
                ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
            },
        };
    }

    /// <summary>
    /// What a child process (terraform, the AWS CLI) must be given so it talks to the same AWS as the build's own
    /// clients; a null value removes the variable. Empty for the process's own AWS, which children inherit.
    /// </summary>
    public IReadOnlyDictionary<string, string?> ChildProcessVariables { get; init; } = new Dictionary<string, string?>();

    /// <summary>What watches each call the clients built on this environment make; none by default.</summary>
    public IAwsCallObserver? Calls { get; init; }

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
