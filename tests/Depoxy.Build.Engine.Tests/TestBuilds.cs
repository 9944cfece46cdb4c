using Depoxy.Build.Engine;

namespace Depoxy.Build.Engine.Tests;

public enum Flavor { Plain, Spicy }

/// <summary>A build whose targets record that they ran; the shapes mirror the pipeline's own graph.</summary>
public class SampleBuild : NukeBuild
{
    public List<string> Ran { get; } = [];

    [Parameter("Stage to act on")] public string? Stage;
    [Parameter("A number")] public int Count = 1;
    [Parameter("A switch")] public bool Fast;
    [Parameter("An enum")] public Flavor Flavor;
    [Parameter("A list")] public string[] Stacks = [];
    [Parameter("A token"), Secret] public string? Token;
    public bool DeployAllowed = true;
    public bool FailCompile;

    public Target Clean => _ => _.Before(Restore).Executes(() => Ran.Add(nameof(Clean)));
    public Target Restore => _ => _.Executes(() => Ran.Add(nameof(Restore)));
    public Target Compile => _ => _.DependsOn(Restore).Executes(() =>
    {
        Ran.Add(nameof(Compile));
        if (FailCompile) throw new BuildException("compile broke");
    });
    public Target Test => _ => _.DependsOn(Compile).Executes(async () =>
    {
        await Task.Yield();
        Ran.Add(nameof(Test));
    });
    public Target Package => _ => _.DependsOn(Compile).Executes(() => Ran.Add(nameof(Package)));
    public Target Deploy => _ => _.DependsOn(Package).Requires(() => Stage).OnlyWhenStatic(() => DeployAllowed)
        .Triggers(Notify).Executes(() => Ran.Add(nameof(Deploy)));
    public Target Notify => _ => _.Executes(() => Ran.Add(nameof(Notify)));
    public bool Offline;
    public Target Apply => _ => _.OnlyWhenStatic(() => !Offline, "no terraform in emulator mode").Executes(() => Ran.Add(nameof(Apply)));
    public Target Report => _ => _.After(Test).AssuredAfterFailure().Executes(() => Ran.Add(nameof(Report)));
    public Target Lint => _ => _.Before(Restore).ProceedAfterFailure().Executes(() =>
    {
        Ran.Add(nameof(Lint));
        throw new BuildException("lint found problems");
    });
    public Target Probe => _ => _.OnlyWhenDynamic(() => throw new BuildException("cannot tell: the bucket is unreachable"), "never")
        .Executes(() => Ran.Add(nameof(Probe)));
    public Target Cleanup => _ => _.After(Probe).AssuredAfterFailure().Executes(() => Ran.Add(nameof(Cleanup)));
    public Target Docs => _ => _.DependentFor(Package).OnlyWhenDynamic(() => Count > 1).Executes(() => Ran.Add(nameof(Docs)));
}

public class CyclicBuild : NukeBuild
{
    public Target A => _ => _.DependsOn(B).Executes(() => { });
    public Target B => _ => _.DependsOn(C).Executes(() => { });
    public Target C => _ => _.After(A).Executes(() => { });
}

/// <summary>Runs a build in a temporary root with its own .nuke folder and captured output.</summary>
public sealed class BuildHarness : IDisposable
{
    private readonly TextWriter _originalOut = Log.Out;
    private readonly StringWriter _output = new();

    public BuildHarness()
    {
        Root = Directory.CreateTempSubdirectory("depoxy-engine-").FullName;
        Directory.CreateDirectory(Path.Combine(Root, ".nuke"));
        Log.Out = _output;
        Log.Verbosity = Verbosity.Normal;
        SecretMasker.Clear();
    }

    public string Root { get; }
    public Dictionary<string, string> Environment { get; } = new();
    public string Output => _output.ToString();

    public void WriteParameters(string? profile, string json) =>
        File.WriteAllText(Path.Combine(Root, ".nuke", profile is null ? "parameters.json" : $"parameters.{profile}.json"), json);

    public int Run(NukeBuild build, params string[] args) =>
        new BuildRunner(Root, Environment).Run(build, args, "Compile");

    public void Dispose()
    {
        Log.Out = _originalOut;
        SecretMasker.Clear();
        Directory.Delete(Root, recursive: true);
    }
}

/// <summary>Engine tests share the static Log; they must not run in parallel.</summary>
[CollectionDefinition("engine", DisableParallelization = true)]
public sealed class EngineCollection;
