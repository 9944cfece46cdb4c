using Depoxy.Build.Engine;

partial class Build
{
    Target Test => _ => _
        .Description("Runs every test project against moto and local tools; ends with 'N passed, N failed, N skipped'")
        .DependsOn(Compile)
        .Executes(async () =>
        {
            await TestPrerequisites.EnsureAsync(RootDirectory);
            var report = await TestRun.RunAsync(RootDirectory, Solution, Configuration.ToString(), Path.Combine(ArtifactsDirectory, "test-results"));
            Summary.AddEpilogue(report.CountsLine);
            report.ThrowIfFailed();
        });
}
