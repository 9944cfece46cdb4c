namespace Depoxy.Aws.Lambda;

/// <summary>How the client rides out Lambda's 409 (an update still in progress) and 429 (throttled) answers.</summary>
public sealed record LambdaClientOptions
{
    /// <summary>Attempts per call, the first included, before a 409 or 429 is given up on.</summary>
    public int MaxAttempts { get; init; } = 10;

    /// <summary>Wait after ResourceConflictException: Lambda gives no hint, and updates settle within seconds.</summary>
    public TimeSpan ConflictDelay { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Wait after a 429 without a Retry-After header.</summary>
    public TimeSpan ThrottleDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound on a Retry-After the service asks for, so one answer cannot stall a deploy.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The sleep used between attempts (and by <see cref="LambdaWaiter"/>); tests swap it to run instantly.</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;

    /// <summary>Told about each retry, for the build log.</summary>
    public Action<string>? OnRetry { get; init; }
}
