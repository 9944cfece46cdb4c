using Amazon.S3;

namespace Depoxy.Aws;

/// <summary>
/// Watches the requests of the clients built on an <see cref="AwsEnvironment"/>. The pipeline records them for the
/// CI roles' permission check (Depoxy.Aws.Recording); the API watches nothing, so none of that is in its build.
/// </summary>
public interface IAwsCallObserver
{
    /// <summary>The handler a SigV4 client of <paramref name="signingName"/> in <paramref name="region"/> sends through.</summary>
    HttpMessageHandler Watch(string signingName, string region, HttpMessageHandler inner);

    void Watch(AmazonS3Client s3);
}
