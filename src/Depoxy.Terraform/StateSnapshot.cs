using System.Text.Json;
using System.Text.Json.Serialization;

namespace Depoxy.Terraform;

/// <summary>
/// Which state a plan was made against: the state's lineage (fixed when the state is first written) and serial (one
/// higher on every write). A plan sealed with one snapshot must not be applied once the stack's state has another,
/// because what the reviewer saw was computed from the older state. A stack that was never applied has no state.
/// </summary>
public sealed record StateSnapshot(string? Lineage, long Serial)
{
    /// <summary>The snapshot of a stack that has no state yet (<c>terraform state pull</c> printed nothing).</summary>
    public static readonly StateSnapshot None = new(null, 0);

    /// <summary>The argv that prints the stack's current state, read from its backend without taking the lock.</summary>
    public static readonly IReadOnlyList<string> PullArguments = ["state", "pull"];

    [JsonIgnore]
    public bool Exists => Lineage is not null;

    /// <summary>Reads the lineage and serial from the output of <c>terraform state pull</c>; empty output means no state.</summary>
    public static StateSnapshot Parse(TerraformStack stack, string statePullOutput)
    {
        if (string.IsNullOrWhiteSpace(statePullOutput)) return None;
        try
        {
            using var document = JsonDocument.Parse(statePullOutput);
            var root = document.RootElement;
            // The S3 backend answers a stack it holds no state for with an empty state: lineage "" and serial 0.
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("lineage", out var empty) && empty.ValueKind == JsonValueKind.String
                && empty.GetString() is "" && root.TryGetProperty("serial", out var zero) && zero.ValueKind == JsonValueKind.Number && zero.GetInt64() == 0)
                return None;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("lineage", out var lineage) && lineage.ValueKind == JsonValueKind.String
                && lineage.GetString() is { Length: > 0 } text
                && root.TryGetProperty("serial", out var serial) && serial.ValueKind == JsonValueKind.Number
                && serial.TryGetInt64(out var number) && number >= 0)
                return new StateSnapshot(text, number);
        }
        catch (JsonException)
        {
        }
        throw new TerraformException(
            $"terraform state pull of {stack} printed no state with a lineage and a serial: check the state object {stack.StateKey} in the state bucket, then re-run the plan.");
    }

    /// <summary>The current state of <paramref name="stack"/>, in <paramref name="stackDirectory"/> after
    /// <c>terraform init</c>. The state holds secrets, so its text is never echoed to the log.</summary>
    public static async Task<StateSnapshot> PullAsync(TerraformCli cli, TerraformStack stack, string stackDirectory, CancellationToken cancellationToken = default) =>
        Parse(stack, await cli.RunAsync(stackDirectory, PullArguments, echoOutput: false, cancellationToken: cancellationToken));

    /// <summary>What changed from this (the sealed) snapshot to <paramref name="current"/>, or null when nothing did.</summary>
    public string? DescribeChangeTo(StateSnapshot current)
    {
        if (current == this) return null;
        if (!Exists) return $"it had no state when planned and now has serial {current.Serial} (lineage {current.Lineage})";
        if (!current.Exists) return $"it had serial {Serial} (lineage {Lineage}) when planned and now has no state";
        if (current.Lineage != Lineage) return $"its lineage changed from {Lineage} (serial {Serial}) to {current.Lineage} (serial {current.Serial})";
        return $"its serial moved from {Serial} to {current.Serial} (lineage {Lineage})";
    }

    public override string ToString() => Exists ? $"lineage {Lineage}, serial {Serial}" : "no state";
}
