namespace Depoxy.Build.Engine;

public static class GitHubActions
{
    public static bool IsRunning =>
        string.Equals(Environment.GetEnvironmentVariable("GITHUB_ACTIONS"), "true", StringComparison.OrdinalIgnoreCase);

    public static string? StepSummaryFile => Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY") is { Length: > 0 } f ? f : null;

    /// <summary>The URL of the current workflow run, for release records; null outside GitHub Actions.</summary>
    public static string? RunUrl =>
        IsRunning && Environment.GetEnvironmentVariable("GITHUB_RUN_ID") is { Length: > 0 } runId
            ? $"{Environment.GetEnvironmentVariable("GITHUB_SERVER_URL")}/{Environment.GetEnvironmentVariable("GITHUB_REPOSITORY")}/actions/runs/{runId}"
            : null;

    public static void AppendToStepSummary(string markdown)
    {
        if (StepSummaryFile is { } file) File.AppendAllText(file, SecretMasker.Mask(markdown) + Environment.NewLine);
    }
}
