namespace Depoxy.Terraform;

/// <summary>What the build knows about a stage when it plans or applies: buckets, region, version, commit.</summary>
public sealed record TerraformSettings(
    string RootDirectory,
    string StateBucket,
    string ArtifactsBucket,
    string Region,
    string Version,
    string Commit)
{
    public string ArtifactsDirectory { get; init; } = Path.Combine(RootDirectory, "artifacts");

    /// <summary>Where each stack's scratch copy lives, so terraform's own files stay out of the checkout.</summary>
    public string WorkDirectory { get; init; } = Path.Combine(RootDirectory, ".nuke", "temp", "terraform");

    /// <summary>
    /// How long plan and apply wait for another run's state lock before failing. Short: the stage lock already keeps
    /// two deploys apart, so a state lock that outlasts this is most likely an interrupted run's, for BreakLock.
    /// </summary>
    public string LockTimeout { get; init; } = "1m";

    /// <summary>
    /// False for read-only plans (pull requests, drift, plan jobs): they take no state lock, because their roles may
    /// not write one; Apply refuses a plan whose state changed since (see <see cref="PlanSeal"/>).
    /// </summary>
    public bool LockState { get; init; } = true;

    /// <summary>Files of tf/ and modules/ that differ from <see cref="Commit"/>, which --allow-dirty let dev plan; the seal records them.</summary>
    public IReadOnlyList<string> Uncommitted { get; init; } = [];

    /// <summary>The stage's live release as its ledger records it; null for a stage never released (its stacks may be created).</summary>
    public RecordedRelease? Released { get; init; }

    /// <summary>base64(sha256) of the release's api.zip, from its verified manifest: what the function must run.</summary>
    public string SourceCodeHash { get; init; } = "";

    /// <summary>Where module sources point instead of the committed S3 URLs (the emulator); null keeps them.</summary>
    public ModuleEndpoint? Modules { get; init; }

    /// <summary>Variables the api stack gets on top of the release's, e.g. the emulator's stand-in layer.</summary>
    public IReadOnlyDictionary<string, string> ApiVariables { get; init; } = new Dictionary<string, string>();

    /// <summary>What tf/ci is planned with: the repository and bucket names the account was applied with.</summary>
    public IReadOnlyDictionary<string, string> CiVariables { get; init; } = new Dictionary<string, string>();

    public string PlanFile(TerraformStack stack) =>
        Path.Combine(ArtifactsDirectory, "terraform", $"plan-{stack.Stage}-{stack.Name}.tfplan");

    public string SealFile(TerraformStack stack) => PlanFile(stack) + ".json";

    public string SummaryFile(TerraformStack stack) =>
        Path.Combine(ArtifactsDirectory, $"plan-{stack.Stage}-{stack.Name}.md");

    public string OutputsFile(TerraformStack stack) => StackOutputs.SavedFile(ArtifactsDirectory, stack);

    /// <summary>The drift an apply of <paramref name="stack"/> put back, one line per resource, for the release's ledger entry.</summary>
    public string CorrectedDriftFile(TerraformStack stack) =>
        Path.Combine(ArtifactsDirectory, "terraform", $"drift-corrected-{stack.Stage}-{stack.Name}.json");

    public string StackWorkDirectory(TerraformStack stack) => Path.Combine(WorkDirectory, stack.Stage, stack.Name);
}
