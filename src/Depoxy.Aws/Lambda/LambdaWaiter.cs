namespace Depoxy.Aws.Lambda;

/// <summary>A waiter's polling cadence, as botocore's <c>waiters-2.json</c> states it.</summary>
public sealed record WaiterSettings(TimeSpan Delay, int MaxAttempts)
{
    /// <summary>botocore <c>FunctionUpdatedV2</c>: GetFunction every 1 s, at most 300 times.</summary>
    public static WaiterSettings FunctionUpdatedV2 { get; } = new(TimeSpan.FromSeconds(1), 300);

    /// <summary>botocore <c>PublishedVersionActive</c>: GetFunctionConfiguration every 5 s, at most 312 times.</summary>
    public static WaiterSettings PublishedVersionActive { get; } = new(TimeSpan.FromSeconds(5), 312);
}

/// <summary>
/// botocore's Lambda waiters, acceptor for acceptor: a success state returns, a failure state throws, the retry
/// state (and any state no acceptor names) polls again after the delay, up to the attempt limit.
/// </summary>
public sealed class LambdaWaiter(ILambdaClient lambda, Func<TimeSpan, CancellationToken, Task>? delay = null)
{
    private readonly Func<TimeSpan, CancellationToken, Task> _delay = delay ?? Task.Delay;

    /// <summary><c>FunctionUpdatedV2</c>: <c>Configuration.LastUpdateStatus</c> Successful / Failed / InProgress.</summary>
    public Task<FunctionConfiguration> FunctionUpdatedV2Async(string functionName, WaiterSettings? settings = null,
        CancellationToken cancellationToken = default) =>
        PollAsync("FunctionUpdatedV2", functionName, settings ?? WaiterSettings.FunctionUpdatedV2, async () =>
        {
            var configuration = (await lambda.GetFunctionAsync(functionName, cancellationToken: cancellationToken)).Configuration;
            return (configuration, configuration.LastUpdateStatus, configuration.LastUpdateStatusReason);
        }, "Successful", "Failed", cancellationToken);

    /// <summary><c>PublishedVersionActive</c>: the version's <c>State</c> Active / Failed / Pending.</summary>
    public Task<FunctionConfiguration> PublishedVersionActiveAsync(string functionName, string version, WaiterSettings? settings = null,
        CancellationToken cancellationToken = default) =>
        PollAsync("PublishedVersionActive", $"{functionName}:{version}", settings ?? WaiterSettings.PublishedVersionActive, async () =>
        {
            var configuration = await lambda.GetFunctionConfigurationAsync(functionName, version, cancellationToken);
            return (configuration, configuration.State, configuration.StateReason);
        }, "Active", "Failed", cancellationToken);

    private async Task<FunctionConfiguration> PollAsync(string waiter, string target, WaiterSettings settings,
        Func<Task<(FunctionConfiguration Configuration, string? Status, string? Reason)>> poll, string success, string failure,
        CancellationToken cancellationToken)
    {
        string? last = null;
        for (var attempt = 1; attempt <= settings.MaxAttempts; attempt++)
        {
            var (configuration, status, reason) = await poll();
            if (status == success) return configuration;
            if (status == failure)
                throw new LambdaWaiterException($"{waiter}: {target} reached {failure}: {reason ?? "Lambda gave no reason"}");
            last = status;
            if (attempt < settings.MaxAttempts) await _delay(settings.Delay, cancellationToken);
        }
        throw new LambdaWaiterException(
            $"{waiter}: {target} still {last ?? "without a status"} after {settings.MaxAttempts} attempts {settings.Delay.TotalSeconds:0.##} s apart");
    }
}
