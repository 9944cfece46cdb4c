namespace Depoxy.Terraform;

/// <summary>
/// What the stage's ledger says is live: its current release and, when that release recorded them, the lineage of
/// each stack's state then. A live stage's stack must still have that state: a missing, empty or replaced one would
/// make terraform create the stack again beside its live resources.
/// </summary>
/// <param name="Lineages">Stack name → state lineage at the release; empty for a release that did not record them.</param>
public sealed record RecordedRelease(string Stage, string Version, IReadOnlyDictionary<string, string> Lineages)
{
    /// <summary>Throws, naming the state key and how to restore it, unless <paramref name="state"/> is the stack's state the release ran on.</summary>
    public void Check(TerraformStack stack, StateSnapshot state, string stateBucket, string operation)
    {
        var recorded = Lineages.GetValueOrDefault(stack.Name);
        var problem = !state.Exists ? "is missing or empty"
            : recorded is not null && recorded != state.Lineage ? $"has lineage {state.Lineage}, not the {recorded} release {Version} ran on (it was replaced)"
            : null;
        if (problem is null) return;
        throw new TerraformException(
            $"Refusing to {operation} {stack}: its state s3://{stateBucket}/{stack.StateKey} {problem}, while {Stage} runs release {Version}, so terraform would " +
            $"create the stack again beside its live resources. Bring the last good state back with ./build.sh RestoreState --stage {Stage} --stack {stack.Name} " +
            "(the state bucket keeps every version), then run again.");
    }
}
