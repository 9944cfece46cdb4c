using Depoxy.Build.Engine;
using Depoxy.Emulator;

partial class Build
{
    [Parameter("Terraform stack to plan or apply: api, www or app (default: all three)")]
    readonly string? Stack;

    [Parameter("GitHub token for the pull request's plan comments (GITHUB_TOKEN on Actions)"), Secret]
    readonly string? GitHubToken;

    /// <summary>
    /// The repository tf/ci's OIDC roles trust. Never guessed: a plan for the wrong one would hand the CI roles to its
    /// owner and lock the real repository out. The parameter's environment name matches Actions' GITHUB_REPOSITORY;
    /// only the emulator, whose account is its own, has a default.
    /// </summary>
    [Parameter("GitHub repository (owner/name) whose workflows tf/ci's roles trust: GITHUB_REPOSITORY on Actions; --emulator defaults to emulator/depoxy")]
    internal string? GitHubRepository
    {
        get => _gitHubRepository ?? (Emulator ? EmulatorAccount.GitHubRepository : null);
        set => _gitHubRepository = value;
    }

    string? _gitHubRepository;

    /// <summary>Plans lock the state only when this run applies them; plan jobs, pull requests and drift run read-only.</summary>
    bool PlanLocksState => IsInvoked(nameof(Deploy)) || IsInvoked(nameof(Promote));

    Target ChooseRelease => _ => _
        .Description("Writes artifacts/release.json, the release this run ships or plans against: the commit's package (Deploy), --from's verified release (Promote), else what --stage runs now")
        .Requires(() => Stage, () => ArtifactsBucket)
        .After(Package)
        .Executes(async () => await Pipeline.ChooseReleaseAsync(StageName, ArtifactsBucket!, From?.ToString(), From is { } from ? SettingsOf(from).ArtifactsBucket : null, Version, ReleaseSource));

    ReleaseSource ReleaseSource =>
        IsInvoked(nameof(Promote)) || IsInvoked(nameof(PlanPromote)) ? ReleaseSource.Promotion
        : IsInvoked(nameof(Deploy)) || IsInvoked(nameof(PlanDeploy)) ? ReleaseSource.Package
        : ReleaseSource.Current;

    Target Plan => _ => _
        .Description("terraform plan of the stage's stacks against artifacts/release.json into sealed plan files (state lineage and serial included), summary in artifacts/plan-<stage>-<stack>.md")
        .DependsOn(ChooseRelease)
        .Requires(() => Stage, () => StateBucket, () => ArtifactsBucket, () => AwsRegion)
        .After(Publish, PublishModules, CopyRelease)
        .Executes(async () => await Pipeline.PlanAsync(StageName, Stack, StateBucket!, ArtifactsBucket!, AwsRegion!, PlanLocksState, AllowDirty, GitHubToken));

    Target Apply => _ => _
        .Description("Applies exactly the saved plans of the stage's stacks, refusing stale or foreign ones or a state that moved since; writes artifacts/terraform/outputs-<stage>-<stack>.json")
        .After(Plan, Publish, PublishModules, CopyRelease)
        .Requires(() => Stage, () => StateBucket, () => ArtifactsBucket, () => AwsRegion)
        .Executes(async () => await Pipeline.ApplyAsync(StageName, Stack, StateBucket!, ArtifactsBucket!, AwsRegion!, AllowDirty));

    Target PlanCi => _ => _
        .Description("Read-only, lock-free plan of tf/ci (the CI roles and buckets) for --git-hub-repository, summary in artifacts/plan-ci-ci.md")
        .Requires(() => GitHubRepository)
        .Executes(async () => await Pipeline.PlanCiAsync(GitHubRepository!, AccountStateBucket, AwsRegion ?? "eu-west-1", GitHubToken));
}
