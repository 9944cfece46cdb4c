using Depoxy.Build.Engine;

/// <summary>
/// The pipeline's target graph. Concerns live in partial files: Build.Package.cs (build once, publish),
/// Build.Terraform.cs (plan, apply), Build.Deploy.cs (deploy, promote, roll back), Build.Test.cs (tests).
/// </summary>
partial class Build : NukeBuild
{
    public static int Main() => Execute<Build>(x => x.Compile);

    [Parameter("Configuration to build: Debug locally, Release on CI")]
    readonly Configuration Configuration = IsLocalBuild ? Configuration.Debug : Configuration.Release;

    [Parameter("Stage to act on; also loads .nuke/parameters.<stage>.json")]
    Stage? Stage;

    [Parameter("AWS account id of the stage; anything run with other credentials is refused")]
    readonly string? AccountId;

    [Parameter("AWS region of the stage")]
    readonly string? AwsRegion;

    [Parameter("Bucket holding the stage's artifacts and release ledger")]
    readonly string? ArtifactsBucket;

    [Parameter("Bucket holding the published Terraform modules")]
    readonly string? ModulesBucket;

    [Parameter("Bucket holding the Terraform state")]
    readonly string? StateBucket;

    [Parameter("Release version; default derived from the git commit")]
    readonly string? Version;

    [Parameter("Package, plan or apply a working tree with uncommitted changes: dev only; the version, the plan seals and the ledger say so, and such a release never reaches prod")]
    readonly bool AllowDirty;

    string Solution => Path.Combine(RootDirectory, "Depoxy.slnx");

    string ArtifactsDirectory => Path.Combine(RootDirectory, "artifacts");

    protected override IEnumerable<string> ImplicitProfiles => (Stage ?? To) is { } stage ? [stage.ToString()] : [];

    Target Clean => _ => _
        .Description("Deletes artifacts/ and every project's bin and obj folders")
        .Before(Restore)
        .Executes(() => Workspace.Clean(RootDirectory));

    Target Restore => _ => _
        .Description("Restores the solution's NuGet packages")
        .Executes(() => DotNet.RunAsync(RootDirectory, "restore", Solution));

    Target Compile => _ => _
        .Description("Builds the solution")
        .DependsOn(Restore)
        .Executes(() => DotNet.RunAsync(RootDirectory, "build", Solution, "--no-restore", "-c", Configuration.ToString()));

    Target GenerateSchema => _ => _
        .Description("Regenerates .nuke/build.schema.json from the targets and parameters")
        .Executes(() => File.WriteAllText(Path.Combine(RootDirectory, ".nuke", "build.schema.json"), SchemaGenerator.Generate(new Build())));
}
