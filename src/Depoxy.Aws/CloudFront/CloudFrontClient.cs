using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Amazon;
using Depoxy.Aws.Recording;

namespace Depoxy.Aws.CloudFront;

/// <summary>How long <see cref="CloudFrontClient.WaitForInvalidationCompletedAsync"/> polls; defaults are botocore's InvalidationCompleted waiter.</summary>
public sealed record InvalidationWaiter(TimeSpan Delay, int MaxAttempts)
{
    public static InvalidationWaiter Default { get; } = new(TimeSpan.FromSeconds(20), 30);
}

/// <summary>The CloudFront invalidation calls of the 2020-05-31 rest-xml API, signed with SigV4 in us-east-1.</summary>
public sealed class CloudFrontClient : IDisposable
{
    public const string ServiceId = "CLOUDFRONT";
    public const string PublicHost = "cloudfront.amazonaws.com";
    public const string SigningName = "cloudfront";
    public const string ApiVersion = "2020-05-31";
    public static readonly XNamespace Namespace = $"http://cloudfront.amazonaws.com/doc/{ApiVersion}/";

    private readonly HttpClient _http;
    private readonly CloudFrontRetry _retry;

    public CloudFrontClient(AwsEnvironment aws, HttpMessageHandler? transport = null, CloudFrontRetry? retry = null)
    {
        // CloudFront is a global service: whatever region the caller works in, requests are signed for us-east-1.
        _http = SignedHttpClient.Create(aws, SigningName, aws.EndpointFor(ServiceId, PublicHost), RegionEndpoint.USEast1, transport);
        _retry = retry ?? CloudFrontRetry.Default;
    }

    /// <summary>
    /// CreateInvalidation. CloudFront answers a repeated <paramref name="callerReference"/> with the same paths by
    /// returning the earlier invalidation, which makes this call safe to retry.
    /// </summary>
    public Task<CloudFrontInvalidation> CreateInvalidationAsync(string distributionId, IReadOnlyCollection<string> paths,
        string callerReference, CancellationToken cancellationToken = default)
    {
        if (paths.Count == 0) throw new ArgumentException("an invalidation needs at least one path", nameof(paths));
        if (string.IsNullOrWhiteSpace(callerReference)) throw new ArgumentException("an invalidation needs a CallerReference", nameof(callerReference));
        var body = InvalidationBatchXml(paths, callerReference);
        return SendAsync(() => Note("CreateInvalidation", distributionId).On(new HttpRequestMessage(HttpMethod.Post, $"{DistributionPath(distributionId)}/invalidation")
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/xml")),
        }), cancellationToken);
    }

    public Task<CloudFrontInvalidation> GetInvalidationAsync(string distributionId, string invalidationId,
        CancellationToken cancellationToken = default) =>
        SendAsync(() => Note("GetInvalidation", distributionId).On(new HttpRequestMessage(HttpMethod.Get,
            $"{DistributionPath(distributionId)}/invalidation/{Uri.EscapeDataString(Required(invalidationId, "invalidation id"))}")),
            cancellationToken);

    /// <summary>
    /// botocore's InvalidationCompleted waiter: GetInvalidation now, then every <see cref="InvalidationWaiter.Delay"/>
    /// until Status is Completed, at most <see cref="InvalidationWaiter.MaxAttempts"/> calls; <paramref name="onCheck"/>
    /// sees each check (attempt number, invalidation) for progress output.
    /// </summary>
    public async Task<CloudFrontInvalidation> WaitForInvalidationCompletedAsync(string distributionId, string invalidationId,
        InvalidationWaiter? waiter = null, Action<int, CloudFrontInvalidation>? onCheck = null,
        CancellationToken cancellationToken = default)
    {
        waiter ??= InvalidationWaiter.Default;
        for (var attempt = 1; ; attempt++)
        {
            var invalidation = await GetInvalidationAsync(distributionId, invalidationId, cancellationToken);
            onCheck?.Invoke(attempt, invalidation);
            if (invalidation.IsCompleted) return invalidation;
            if (attempt >= waiter.MaxAttempts)
                throw new TimeoutException(
                    $"CloudFront invalidation {invalidationId} of distribution {distributionId} is still {invalidation.Status} after " +
                    $"{attempt} checks over {waiter.Delay * (attempt - 1)}: it continues on its own; check it with " +
                    $"aws cloudfront get-invalidation --distribution-id {distributionId} --id {invalidationId}");
            await Task.Delay(waiter.Delay, cancellationToken);
        }
    }

    public void Dispose() => _http.Dispose();

    private static string InvalidationBatchXml(IEnumerable<string> paths, string callerReference)
    {
        var items = paths.ToList();
        var batch = new XElement(Namespace + "InvalidationBatch",
            new XElement(Namespace + "Paths",
                new XElement(Namespace + "Quantity", items.Count),
                new XElement(Namespace + "Items", items.Select(p => new XElement(Namespace + "Path", p)))),
            new XElement(Namespace + "CallerReference", callerReference));
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + batch.ToString(SaveOptions.DisableFormatting);
    }

    private static AwsCallNote Note(string operation, string distributionId) => new(operation, $"distribution/{distributionId}", Global: true);

    private static string DistributionPath(string distributionId) =>
        $"/{ApiVersion}/distribution/{Uri.EscapeDataString(Required(distributionId, "distribution id"))}";

    private static string Required(string value, string what) =>
        string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"the CloudFront {what} is empty") : value;

    private Task<CloudFrontInvalidation> SendAsync(Func<HttpRequestMessage> request, CancellationToken cancellationToken) =>
        _retry.ExecuteAsync(async token =>
        {
            using var message = request();
            using var response = await _http.SendAsync(message, token);
            await AwsResponse.EnsureSuccessAsync(response, "CloudFront", token);
            return CloudFrontInvalidation.Parse(await response.Content.ReadAsStringAsync(token));
        }, cancellationToken);
}
