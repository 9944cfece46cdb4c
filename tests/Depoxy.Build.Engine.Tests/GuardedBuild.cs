using Depoxy.Build.Engine;

namespace Depoxy.Build.Engine.Tests;

/// <summary>The pipeline's safety shape: Guard takes the lock and triggers Unlock, Deploy needs Guard and Package.</summary>
public class GuardedBuild : NukeBuild
{
    public List<string> Ran { get; } = [];

    [Parameter("GitHub token for plan comments"), Secret] public string? GitHubToken;

    public Target Guard => _ => _.Unskippable().Triggers(Unlock).Executes(() => Ran.Add(nameof(Guard)));
    public Target Unlock => _ => _.Description("Releases the stage lock this run took").Unskippable().AssuredAfterFailure().After(Deploy)
        .Executes(() => Ran.Add(nameof(Unlock)));
    public Target Package => _ => _.Executes(() => Ran.Add(nameof(Package)));
    public Target Deploy => _ => _.Description("Ships the release").DependsOn(Guard, Package).Executes(() => Ran.Add(nameof(Deploy)));
    public Target Internal => _ => _.Unlisted().Executes(() => Ran.Add(nameof(Internal)));
}

/// <summary>
/// The build a child process runs for the interrupt tests (see <see cref="ChildBuildProgram"/>): Lock triggers
/// Unlock, Slow runs a shell whose background sleep ignores SIGINT, as a grandchild of the build.
/// </summary>
public sealed class InterruptibleBuild : NukeBuild
{
    public Target Lock => _ => _.Triggers(Unlock).Executes(() => File.WriteAllText(Path.Combine(RootDirectory, "locked"), ""));
    public Target Slow => _ => _.DependsOn(Lock).Executes(async () =>
        await Tool.RunAsync("sh", ["-c", "echo $$ > shell.pid; sleep 60 & echo $! > sleep.pid; wait"], RootDirectory));
    public Target Ship => _ => _.DependsOn(Slow).Executes(() => File.WriteAllText(Path.Combine(RootDirectory, "shipped"), ""));
    public Target Serve => _ => _.DependsOn(Lock).Executes(async cancellationToken =>
    {
        // Stands in for a local API host: started outside Tool, so only the executor's clean-up can stop it.
        using var server = System.Diagnostics.Process.Start("sleep", "60");
        await File.WriteAllTextAsync(Path.Combine(RootDirectory, "sleep.pid"), server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None);
        await Task.Delay(Timeout.Infinite, cancellationToken);
    });
    public Target Unlock => _ => _.After(Slow, Ship, Serve).AssuredAfterFailure().Executes(async cancellationToken =>
    {
        // As long as deleting a lock object takes, so a second signal can arrive while it runs.
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(RootDirectory, "unlocked"),
            $"token cancelled: {cancellationToken.IsCancellationRequested}, build token cancelled: {CancellationToken.IsCancellationRequested}", cancellationToken);
    });

    public static int Run() => Execute<InterruptibleBuild>(x => x.Ship);
}

/// <summary>
/// The test assembly's own entry point (GenerateProgramFile is off): with <see cref="Variable"/> set it runs
/// <see cref="InterruptibleBuild"/> as a real build process that the interrupt tests can signal.
/// </summary>
public static class ChildBuildProgram
{
    public const string Variable = "DEPOXY_ENGINE_TEST_CHILD_BUILD";

    public static int Main() =>
        Environment.GetEnvironmentVariable(Variable) == "interruptible"
            ? InterruptibleBuild.Run()
            : throw new InvalidOperationException($"run by the test runner, or as a child build with {Variable}=interruptible");
}
