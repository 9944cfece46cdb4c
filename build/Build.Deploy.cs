using Depoxy.Aws.Recording;
using Depoxy.Build.Engine;
using Depoxy.Deploy;
using Depoxy.Deploy.Flows;
using Depoxy.Emulator;
using Depoxy.Packaging.Publishing;

partial class Build
{
    [Parameter("Run offline: a local moto emulator stands in for AWS and stays up until EmulatorStop")]
    readonly bool Emulator;

    [Parameter("Stage a promotion takes its release from")]
    readonly Stage? From;

    [Parameter("Stage a promotion ships to")]
    readonly Stage? To;

    Pipeline? _pipeline;
    StageLockLease? StageLease;

    [Parameter("Appends every AWS call the build's own clients make to this file, one JSON object per line, and keeps terraform's request log (TF_LOG=DEBUG) in <file>.terraform/, for checking them against the CI roles")]
    readonly string? RecordAwsCalls;

    Pipeline Pipeline => _pipeline ??= new Pipeline(RootDirectory,
        cancellationToken => Cloud.ConnectAsync(RootDirectory, Emulator, AccountStateBucket, CallRecorder,
            RecordAwsCalls is null ? null : Path.GetFullPath(RecordAwsCalls) + ".terraform", cancellationToken), () => CancellationToken);

    IAwsCallRecorder? CallRecorder => RecordAwsCalls is null ? null
        : new AwsCallLog(Path.GetFullPath(RecordAwsCalls), AccountId ?? throw new BuildException("--record-aws-calls needs --account-id (or AccountId in .nuke/parameters.<stage>.json) to write ARNs"));

    /// <summary>The state bucket the account keeps tf/ci's and the stages' states in (the emulator checks it to know it is bootstrapped).</summary>
    string AccountStateBucket => StateBucket ?? SettingsOf(global::Stage.dev).StateBucket ?? "";

    string StageName => Stage!.Value.ToString();

    Target Guard => _ => _
        .Description("Refuses credentials of another AWS account and takes the stage lock, so two deploys cannot overlap")
        .Requires(() => Stage, () => AccountId, () => ArtifactsBucket)
        .Unskippable()
        .Before(Package, ChooseRelease, CopyRelease, PublishModules)
        .Triggers(Unlock)
        .Executes(async () => StageLease = await Pipeline.GuardAsync(StageName, AccountId!, ArtifactsBucket!, InvokedTargets[0].Name));

    Target Unlock => _ => _
        .Description("Releases the stage lock Guard took (runs after every flow, failed or interrupted); an attempt that stopped before its release goes in the ledger first")
        .Unskippable()
        .AssuredAfterFailure()
        .After(Deploy, Promote, Rollback, ApplyDeploy, ApplyPromote, RestoreState)
        .Executes(async () => await Pipeline.UnlockAsync(StageLease, StageName, ArtifactsBucket!, Version,
            ExecutionPlan.FirstOrDefault(t => t.Status is TargetStatus.Failed or TargetStatus.Aborted)));

    Target BreakLock => _ => _
        .Description("Breaks the stage lock of a dead run (its heartbeat stopped), then the terraform state locks (<state key>.tflock) it left; refuses while its holder is alive")
        .Requires(() => Stage, () => AccountId, () => ArtifactsBucket, () => StateBucket)
        .Executes(async () => await Pipeline.BreakLockAsync(StageName, AccountId!, ArtifactsBucket!, StateBucket!));

    Target RestoreState => _ => _
        .Description("Brings back the last good state of --stack (default: each stack of --stage) from the state bucket's versions, when a plan refused it as missing, empty or replaced")
        .DependsOn(Guard)
        .Requires(() => StateBucket)
        .Executes(async () => await Pipeline.RestoreStateAsync(StageName, Stack, StateBucket!, ArtifactsBucket!));

    Target Deploy => _ => _
        .Description("Ships this commit to --stage: package unless published, publish, plan, apply, Lambda version + alias, sites, smoke test, ledger")
        .DependsOn(Guard, PublishModules, Publish, Plan, Apply)
        .Executes(async () => await Pipeline.ShipAsync(StageName, ArtifactsBucket!, StateBucket!, AwsRegion!, Running.Contains(nameof(Apply))));

    Target PlanDeploy => _ => _
        .Description("deploy-dev's plan job, read-only: packages the commit and plans --stage against it; artifacts/ is what ApplyDeploy needs")
        .DependsOn(Package, Plan);

    Target ApplyDeploy => _ => _
        .Description("deploy-dev's apply job: publishes what PlanDeploy packaged, applies exactly its sealed plans, then releases (alias, sites, smoke test, ledger)")
        .DependsOn(Guard, PublishModules, Publish, Apply)
        .Executes(async () => await Pipeline.ShipAsync(StageName, ArtifactsBucket!, StateBucket!, AwsRegion!, Running.Contains(nameof(Apply))));

    Target CopyRelease => _ => _
        .Description("Promote's copy: proves every artifact of artifacts/release.json in --from's bucket against its manifest, copies them to --to's, verified")
        .Requires(() => From, () => To, () => ArtifactsBucket)
        .After(ChooseRelease)
        .Executes(async () => await Pipeline.CopyReleaseAsync(StageName, ArtifactsBucket!));

    Target Promote => _ => _
        .Description("Ships --from's current release (or --version) to --to without building: verify, copy, plan, apply, alias, sites, smoke test")
        .DependsOn(Guard, ChooseRelease, CopyRelease, Plan, Apply)
        .Executes(async () => await Pipeline.ShipAsync(StageName, ArtifactsBucket!, StateBucket!, AwsRegion!, Running.Contains(nameof(Apply))));

    Target PlanPromote => _ => _
        .Description("promote-prod's plan job, read-only: verifies --from's release and plans --to against it; artifacts/ is what ApplyPromote needs")
        .Requires(() => From, () => To)
        .DependsOn(Plan);

    Target ApplyPromote => _ => _
        .Description("promote-prod's apply job: copies the release PlanPromote verified, applies exactly its sealed plans, then releases")
        .DependsOn(Guard, CopyRelease, Apply)
        .Executes(async () => await Pipeline.ShipAsync(StageName, ArtifactsBucket!, StateBucket!, AwsRegion!, Running.Contains(nameof(Apply))));

    Target Rollback => _ => _
        .Description("Moves --stage back to its previous successful release (or --version): alias, sites, smoke test; no Terraform")
        .DependsOn(Guard)
        .Executes(async () => await Pipeline.RollbackAsync(StageName, ArtifactsBucket!, Version));

    Target Releases => _ => _
        .Description("Prints --stage's release ledger: every attempt with version, Lambda version, outcome, who and when")
        .Requires(() => Stage, () => ArtifactsBucket)
        .Executes(async () => await Pipeline.PrintReleasesAsync(StageName, ArtifactsBucket!));

    Target EmulatorStop => _ => _
        .Description("Stops the local moto emulator that --emulator started")
        .Executes(async () => Log.Info(await EmulatorServer.StopAsync(RootDirectory) ? "Emulator stopped" : "No emulator was running"));

    /// <summary>Another stage's settings, as its .nuke/parameters.&lt;stage&gt;.json gives them (Promote reads --from's bucket).</summary>
    Build SettingsOf(Stage stage) => ParameterResolver.FromProfile(new Build(), RootDirectory, stage.ToString());

    protected override void OnBuildInitialized()
    {
        Stage ??= To;
        RunChecks.Ensure(new RunRequest(RootDirectory, Stage?.ToString(),
            ParameterSources.TryGetValue(nameof(Stage), out var source) ? source : ParameterSources.GetValueOrDefault(nameof(To)),
            Version, Stack, RunsOnCi, [.. InvokedTargets.Select(t => t.Name)], Running,
            Running.Contains(nameof(Package)) && !IsInvoked(nameof(ApplyDeploy))));
    }

    /// <summary>The planned targets --skip left in.</summary>
    string[] Running => [.. ExecutionPlan.Where(t => t.Status != TargetStatus.Skipped).Select(t => t.Name)];
}
