using System.Text.Json;

namespace Depoxy.Terraform;

public enum ChangeKind { Create, Update, Delete, Replace, Read }

public sealed record ResourceChange(string Address, ChangeKind Kind);

/// <summary>What a saved plan will do, read from <c>terraform show -json</c> (JSON output format 1.x).</summary>
public sealed record PlanSummary(
    string TerraformVersion,
    IReadOnlyList<ResourceChange> Changes,
    IReadOnlyList<string> Drift,
    IReadOnlyList<string> OutputChanges)
{
    public int Create => Count(ChangeKind.Create);
    public int Update => Count(ChangeKind.Update);
    public int Delete => Count(ChangeKind.Delete);
    public int Replace => Count(ChangeKind.Replace);
    public bool HasChanges => Create + Update + Delete + Replace > 0 || OutputChanges.Count > 0;

    private int Count(ChangeKind kind) => Changes.Count(c => c.Kind == kind);

    public static PlanSummary Parse(string showJson)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(showJson);
        }
        catch (JsonException e)
        {
            throw new TerraformException($"terraform show -json did not print JSON ({e.Message}): check the terraform version (≥ {TerraformExecutable.MinimumVersion}).");
        }

        using (document)
        {
            var root = document.RootElement;
            var format = root.TryGetProperty("format_version", out var f) ? f.GetString() ?? "" : "";
            if (!format.StartsWith("1.", StringComparison.Ordinal))
                throw new TerraformException($"Unsupported terraform plan JSON format_version '{format}': expected 1.x.");

            var changes = Entries(root, "resource_changes")
                .Select(rc => (Address: Address(rc), Kind: Kind(Actions(rc))))
                .Where(c => c.Kind is not null)
                .Select(c => new ResourceChange(c.Address, c.Kind!.Value))
                .ToList();
            var drift = Entries(root, "resource_drift")
                .Where(rc => Actions(rc) is not ["no-op"])
                .Select(rc => $"{Address(rc)} ({string.Join(", ", Actions(rc))})")
                .ToList();
            var outputs = root.TryGetProperty("output_changes", out var oc) && oc.ValueKind == JsonValueKind.Object
                ? oc.EnumerateObject()
                    .Where(o => Actions(o.Value) is not ["no-op"])
                    .Select(o => $"{o.Name} ({string.Join(", ", Actions(o.Value))})")
                    .ToList()
                : [];
            var version = root.TryGetProperty("terraform_version", out var v) ? v.GetString() ?? "" : "";
            return new PlanSummary(version, changes, drift, outputs);
        }
    }

    private static IEnumerable<JsonElement> Entries(JsonElement root, string name) =>
        root.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray() : [];

    private static string Address(JsonElement change) =>
        change.TryGetProperty("address", out var a) ? a.GetString() ?? "?" : "?";

    private static string[] Actions(JsonElement change) =>
        change.TryGetProperty("change", out var c) && c.TryGetProperty("actions", out var a)
            ? [.. a.EnumerateArray().Select(x => x.GetString() ?? "")]
            : change.TryGetProperty("actions", out var direct)
                ? [.. direct.EnumerateArray().Select(x => x.GetString() ?? "")]
                : [];

    // Terraform's documented action lists: ["no-op"], ["create"], ["read"], ["update"], ["delete"],
    // ["delete","create"] and ["create","delete"] (the two replace orders; the second is create_before_destroy).
    private static ChangeKind? Kind(string[] actions) => actions switch
    {
        ["create"] => ChangeKind.Create,
        ["update"] => ChangeKind.Update,
        ["delete"] => ChangeKind.Delete,
        ["delete", "create"] or ["create", "delete"] => ChangeKind.Replace,
        ["read"] => ChangeKind.Read,
        _ => null,
    };
}
