using System.Net;

namespace Depoxy.Aws.CloudFront;

/// <summary>
/// Bounded exponential backoff with full jitter for 5xx, 429, throttling and transport errors. Kept here (a dozen
/// lines) because the CloudFront client is plain HttpClient, without the SDK's retry pipeline.
/// </summary>
public sealed record CloudFrontRetry(int MaxAttempts, TimeSpan BaseDelay, TimeSpan MaxDelay)
{
    public static CloudFrontRetry Default { get; } = new(5, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(20));

    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled", "RequestThrottledException",
        "TooManyRequestsException", "RequestLimitExceeded", "SlowDown", "PriorRequestNotComplete",
    };

    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        for (var number = 1; ; number++)
        {
            try
            {
                return await attempt(cancellationToken);
            }
            catch (Exception e) when (number < MaxAttempts && IsTransient(e, cancellationToken))
            {
                await Task.Delay(DelayFor(number, (e as AwsServiceException)?.RetryAfter), cancellationToken);
            }
        }
    }

    public static bool IsTransient(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        AwsServiceException aws => (int)aws.StatusCode >= 500 || aws.StatusCode == HttpStatusCode.TooManyRequests
                                   || ThrottlingCodes.Contains(aws.ErrorCode),
        HttpRequestException => true,
        // HttpClient's own timeout surfaces as a cancellation that the caller did not ask for.
        TaskCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    private TimeSpan DelayFor(int attempt, TimeSpan? retryAfter)
    {
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        var jittered = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
        return retryAfter is { } hint && hint > jittered ? (hint < MaxDelay ? hint : MaxDelay) : jittered;
    }
}
