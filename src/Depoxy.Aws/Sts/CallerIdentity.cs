using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

using Depoxy.Aws.Recording;

namespace Depoxy.Aws.Sts;

public sealed record CallerIdentity(string Account, string Arn, string UserId);

/// <summary>Who the current credentials belong to; an interface so guards can be tested without STS.</summary>
public interface ICallerIdentityProvider
{
    Task<CallerIdentity> GetCallerIdentityAsync(CancellationToken cancellationToken = default);
}

/// <summary>STS GetCallerIdentity through AWSSDK.SecurityToken, honouring AWS_ENDPOINT_URL_STS and AWS_ENDPOINT_URL.</summary>
public sealed class StsCallerIdentityProvider(AwsEnvironment aws) : ICallerIdentityProvider
{
    public const string ServiceId = "STS";

    public async Task<CallerIdentity> GetCallerIdentityAsync(CancellationToken cancellationToken = default)
    {
        var config = new AmazonSecurityTokenServiceConfig { RegionEndpoint = aws.Region };
        if (aws.HasEndpointOverride(ServiceId))
        {
            config.ServiceURL = aws.EndpointFor(ServiceId, $"sts.{aws.Region.SystemName}.amazonaws.com").ToString();
            config.AuthenticationRegion = aws.Region.SystemName;
        }
        using var sts = new AmazonSecurityTokenServiceClient(aws.Credentials, config);
        (aws.Calls as IAwsCallRecorder)?.Record(new AwsCall("sts", "GetCallerIdentity", "*", new Dictionary<string, string>()));
        try
        {
            var response = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken);
            return new CallerIdentity(response.Account, response.Arn, response.UserId);
        }
        catch (AmazonServiceException e) when (e.ErrorCode is "InvalidClientTokenId" or "ExpiredToken" or "SignatureDoesNotMatch")
        {
            throw new AwsConfigurationException($"STS rejected the credentials ({e.ErrorCode}): {AwsEnvironment.CredentialsHelp}");
        }
    }
}
