using System.Text.Json.Serialization;
using Amazon.Runtime;
using Amazon.S3;

namespace Depoxy.Aws.Recording;

/// <summary>
/// One AWS call as IAM authorises it: the service's IAM prefix, the API operation, the resource ARN and the request
/// context that policy conditions read (s3:if-none-match, s3:prefix, the copy source).
/// </summary>
public sealed record AwsCall(
    [property: JsonPropertyName("service")] string Service,
    [property: JsonPropertyName("operation")] string Operation,
    [property: JsonPropertyName("resource")] string Resource,
    [property: JsonPropertyName("context")] IReadOnlyDictionary<string, string> Context)
{
    public override string ToString() =>
        $"{Service}:{Operation} {Resource}" + (Context.Count == 0 ? "" : " {" + string.Join(", ", Context.Select(c => $"{c.Key}={c.Value}")) + "}");
}

/// <summary>
/// Where the build's own clients report every AWS call they make, as they make it, so the calls can be checked
/// against the CI roles' policies. <see cref="AccountId"/> completes the ARNs of calls that name a resource by name.
/// </summary>
public interface IAwsCallRecorder : IAwsCallObserver
{
    string AccountId { get; }

    void Record(AwsCall call);

    HttpMessageHandler IAwsCallObserver.Watch(string signingName, string region, HttpMessageHandler inner) =>
        new AwsCallRecordingHandler(this, signingName, region, inner);

    void IAwsCallObserver.Watch(AmazonS3Client s3) =>
        s3.BeforeRequestEvent += (_, e) =>
        {
            if (e is WebServiceRequestEventArgs request)
                foreach (var call in S3CallDescription.Of(request.Request)) Record(call);
        };
}
