using Amazon.Runtime;
using Amazon.S3;

namespace Depoxy.Aws;

public static class S3ClientFactory
{
    public static IAmazonS3 Create(AwsEnvironment aws)
    {
        var config = new AmazonS3Config
        {
            RegionEndpoint = aws.Region,
            // S3-compatible endpoints (moto among them) do not decode aws-chunked trailers and would store the framing.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (aws.HasEndpointOverride("S3"))
        {
            config.ServiceURL = aws.EndpointFor("S3", "s3.amazonaws.com").ToString();
            config.ForcePathStyle = true;
            config.AuthenticationRegion = aws.Region.SystemName;
        }
        var client = new AmazonS3Client(aws.Credentials, config);
        aws.Calls?.Watch(client);
        return client;
    }
}
