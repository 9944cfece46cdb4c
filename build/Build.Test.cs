using Depoxy.Build.Engine;

partial class Build
{
    [Parameter("Test tiers to run (default: all): fast needs no terraform, browser or Native AOT publish; the others are the tests that do")]
    readonly TestTier[] Tier = [];

    Target Test => _ => _
        .Description("Runs the test projects of --tier (default: all) against moto and local tools; ends with 'N passed, N failed, N skipped'")
        .DependsOn(Compile)
        .Executes(async () =>
        {
            await TestPrerequisites.EnsureAsync(RootDirectory, Tier);
            var report = await TestRun.RunAsync(RootDirectory, Solution, Configuration.ToString(), Path.Combine(ArtifactsDirectory, "test-results"), Tier,
                project => SharedApiBuild.ForProjectAsync(RootDirectory, project, Tier));
            Summary.AddEpilogue(report.CountsLine);
            report.ThrowIfFailed();
        });
}
