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
    PublishReport? PromotedCopy;

    Pipeline Pipeline => _pipeline ??= new Pipeline(RootDirectory, cancellationToken => Cloud.ConnectAsync(RootDirectory, Emulator, AccountBuckets, cancellationToken));

    /// <summary>The buckets tf/ci creates, as the stages' parameter files name them (the emulator bootstraps them).</summary>
    AccountBuckets AccountBuckets
    {
        get
        {
            var dev = SettingsOf(global::Stage.dev);
            return new AccountBuckets(StateBucket ?? dev.StateBucket ?? "", ModulesBucket ?? dev.ModulesBucket ?? "",
                Enum.GetValues<global::Stage>().ToDictionary(s => s.ToString(), s => SettingsOf(s).ArtifactsBucket ?? ""));
        }
    }

    /// <summary>The release this run works on: --version, else what CopyRelease promotes, else the commit's version.</summary>
    string ShippedVersion => Version ??= Depoxy.Packaging.ReleaseVersion.ResolveAsync(RootDirectory, null, AllowDirty).GetAwaiter().GetResult().Value;

    string StageName => Stage!.Value.ToString();

    Target Guard => _ => _
        .Description("Refuses credentials of another AWS account and takes the stage lock, so two deploys cannot overlap")
        .Requires(() => Stage, () => AccountId, () => ArtifactsBucket)
        .Before(Package, CopyRelease)
        .Triggers(Unlock)
        .Executes(async () => StageLease = await Pipeline.GuardAsync(StageName, AccountId!, ArtifactsBucket!, InvokedTargets[0].Name));

    Target Unlock => _ => _
        .Unlisted()
        .AssuredAfterFailure()
        .After(Deploy, Promote, Rollback)
        .Executes(async () => await (StageLease?.ReleaseAsync() ?? Task.CompletedTask));

    Target Deploy => _ => _
        .Description("Ships this commit to --stage: package unless published, publish, plan, apply, Lambda version + alias, sites, smoke test, ledger")
        .DependsOn(Guard, Publish, PublishModules, Plan, Apply)
        .Executes(async () => await Pipeline.ShipAsync(StageName, ArtifactsBucket!, ShippedVersion, ReleaseFlow.DeployKind, PackagedRelease, PublishedRelease, AppliedStacks));

    Target CopyRelease => _ => _
        .Description("Promote's first half: proves every artifact in --from's bucket against the manifest, copies them to --to's, verified")
        .Requires(() => From, () => To)
        .Before(Plan)
        .Executes(async () => (Version, PromotedCopy) = await Pipeline.CopyReleaseAsync(From!.Value.ToString(), SettingsOf(From.Value).ArtifactsBucket!, ArtifactsBucket!, Version));

    Target Promote => _ => _
        .Description("Ships --from's current release (or --version) to --to without building: copy, plan, apply, alias, sites, smoke test")
        .DependsOn(Guard, CopyRelease, Plan, Apply)
        .Executes(async () => await Pipeline.ShipAsync(StageName, ArtifactsBucket!, ShippedVersion, ReleaseFlow.PromoteKind, null, PromotedCopy, AppliedStacks));

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

    protected override void OnBuildInitialized() => Stage ??= To;
}
