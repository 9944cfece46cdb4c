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

    /// <summary>How long plan and apply wait for another run's state lock before failing.</summary>
    public string LockTimeout { get; init; } = "5m";

    public string PlanFile(TerraformStack stack) =>
        Path.Combine(ArtifactsDirectory, "terraform", $"plan-{stack.Stage}-{stack.Name}.tfplan");

    public string SealFile(TerraformStack stack) => PlanFile(stack) + ".json";

    public string SummaryFile(TerraformStack stack) =>
        Path.Combine(ArtifactsDirectory, $"plan-{stack.Stage}-{stack.Name}.md");

    public string OutputsFile(TerraformStack stack) => StackOutputs.SavedFile(ArtifactsDirectory, stack);
}
