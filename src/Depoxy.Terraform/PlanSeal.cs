using System.Security.Cryptography;
using System.Text.Json;

namespace Depoxy.Terraform;

/// <summary>
/// The sidecar written next to a saved plan: what it was made from. Apply refuses a plan whose bytes, commit or
/// stack differ, or whose stack's state moved since it was planned, so it only ever applies what was reviewed, for
/// the code being deployed, onto the state the reviewer's plan was computed from.
/// </summary>
/// <param name="State">The state the plan was made against; null in a seal that did not record it.</param>
/// <param name="Uncommitted">Files of tf/ and modules/ that differed from <paramref name="Commit"/> when planned (dev with --allow-dirty); null when none.</param>
public sealed record PlanSeal(string Stage, string Stack, string Sha256, string Commit, string Version, StateSnapshot? State = null,
    IReadOnlyList<string>? Uncommitted = null)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public static PlanSeal Read(string path)
    {
        if (!File.Exists(path))
            throw new TerraformException($"{path} is missing: run the Plan target for this stage first (Apply only applies a saved plan).");
        try
        {
            return JsonSerializer.Deserialize<PlanSeal>(File.ReadAllText(path), Json)
                   ?? throw new TerraformException($"{path} is empty: run the Plan target again.");
        }
        catch (JsonException)
        {
            throw new TerraformException($"{path} is not a plan seal: run the Plan target again.");
        }
    }

    /// <summary>Throws unless the plan file at <paramref name="planFile"/> is the one this seal describes, for this
    /// stack and commit and, when <paramref name="currentState"/> is given, for the stack's state as it is now.</summary>
    public void Verify(TerraformStack stack, string planFile, string commit, StateSnapshot? currentState = null)
    {
        if (Stage != stack.Stage || Stack != stack.Name)
            throw new TerraformException($"Refusing {planFile}: it was planned for {Stage}/{Stack}, not {stack}. Run Plan for {stack}.");
        if (!File.Exists(planFile))
            throw new TerraformException($"{planFile} is missing: run the Plan target for {stack} first.");
        var actual = HashFile(planFile);
        if (!string.Equals(actual, Sha256, StringComparison.OrdinalIgnoreCase))
            throw new TerraformException($"Refusing {planFile}: its sha256 {actual} differs from the planned {Sha256}. Run Plan for {stack} again.");
        if (!string.Equals(Commit, commit, StringComparison.OrdinalIgnoreCase))
            throw new TerraformException($"Refusing {planFile}: it was planned at commit {Commit}, this is {commit}. Run Plan for {stack} at this commit.");
        if (currentState is null) return;
        if (State is null)
            throw new TerraformException($"Refusing {planFile}: its seal does not record the state {stack} was planned against, so a change since cannot be ruled out. Re-run the plan job for {stack}.");
        if (State.DescribeChangeTo(currentState) is { } change)
            throw new TerraformException($"Refusing {planFile}: the state of {stack} changed since it was planned ({change}), so this is not the plan that was reviewed. Re-run the plan job for {stack} and review its new plan.");
    }
}
