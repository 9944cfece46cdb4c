using Amazon;
using Amazon.Runtime.Signing;

namespace Depoxy.Aws;

/// <summary>
/// HttpClient signing every request with SigV4 through AWSSDK.Core's public handler; the typed clients for
/// Lambda, CloudFront, Secrets Manager and SES v2 sit on it because their SDK packages are not available.
/// </summary>
public static class SignedHttpClient
{
    public static HttpClient Create(AwsEnvironment aws, string signingName, Uri endpoint,
        RegionEndpoint? signingRegion = null, HttpMessageHandler? transport = null)
    {
        HttpMessageHandler handler = new SigV4SigningHandler(aws.Credentials, signingRegion ?? aws.Region, signingName,
            transport ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        if (aws.Calls is { } observer) handler = observer.Watch(signingName, aws.Region.SystemName, handler);
        return new HttpClient(handler)
        {
            BaseAddress = endpoint,
            Timeout = TimeSpan.FromSeconds(100),
        };
    }
}
