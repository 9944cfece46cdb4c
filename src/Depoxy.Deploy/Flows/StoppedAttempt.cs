namespace Depoxy.Deploy.Flows;

/// <summary>
/// A Deploy, Promote or Rollback that stopped before its release step, which records its own outcome. Recorded so
/// the ledger lists every attempt that held the stage lock: Refused when a check stopped it before the stage changed,
/// Failed when it stopped in Apply, which may have changed the stage's infrastructure.
/// </summary>
public static class StoppedAttempt
{
    /// <summary>The release steps: ReleaseFlow records their outcome, refusals included.</summary>
    private static readonly HashSet<string> Releasing = ["Deploy", "ApplyDeploy", "Promote", "ApplyPromote", "Rollback"];

    /// <summary>
    /// Records the attempt <paramref name="operation"/> (the invoked target) that stopped in <paramref name="step"/>
    /// for <paramref name="reason"/>; returns the ledger key, or null when the step records for itself.
    /// </summary>
    public static async Task<string?> RecordAsync(ReleaseLedger ledger, string operation, string step, string reason, string? version,
        CancellationToken cancellationToken = default)
    {
        if (Releasing.Contains(step)) return null;
        var kind = operation.StartsWith("Apply", StringComparison.Ordinal) ? operation["Apply".Length..] : operation;
        version ??= "(not packaged)";
        return step == "Apply"
            ? await ledger.RecordFailedAsync(version, kind, $"{step} stopped: {reason}; the stage's infrastructure may be partly applied: run {operation} again", cancellationToken: cancellationToken)
            : await ledger.RecordRefusedAsync(version, kind, $"{step} stopped: {reason}; the stage did not change", cancellationToken: cancellationToken);
    }
}
