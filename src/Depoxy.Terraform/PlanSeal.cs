using System.Security.Cryptography;
using System.Text.Json;

namespace Depoxy.Terraform;

/// <summary>
/// The sidecar written next to a saved plan: what it was made from. Apply refuses a plan whose bytes, commit or
/// stack differ, so it only ever applies what was reviewed, for the code being deployed.
/// </summary>
public sealed record PlanSeal(string Stage, string Stack, string Sha256, string Commit, string Version)
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

    /// <summary>Throws unless the plan file at <paramref name="planFile"/> is the one this seal describes, for this stack and commit.</summary>
    public void Verify(TerraformStack stack, string planFile, string commit)
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
    }
}
