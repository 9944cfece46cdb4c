using Depoxy.Build.Engine;
using Depoxy.Deploy.Metrics;

partial class Build
{
    [Parameter("Start of the window Metrics covers: a duration back from now (90d, 6w, 12h) or a date (2026-01-31); default 90d")]
    readonly string? Since;

    /// <summary>The window, checked before anything runs: a bad --since is a command-line error.</summary>
    MetricsWindow MetricsWindow => MetricsWindow.Parse(Since, TimeProvider.System.GetUtcNow());

    Target Metrics => _ => _
        .Description("DORA's keys for --stage from its release ledger and the commit times: artifacts/metrics-<stage>.html (charts) and .md, also to the job summary")
        .Requires(() => Stage, () => ArtifactsBucket, () => MetricsWindow)
        .After(Deploy, ApplyDeploy, Promote, ApplyPromote, Rollback, Unlock)
        .Executes(async () => await Pipeline.MetricsAsync(StageName, ArtifactsBucket!, MetricsWindow));
}
