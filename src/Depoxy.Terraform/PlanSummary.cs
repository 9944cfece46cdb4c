using System.Text.Json;

namespace Depoxy.Terraform;

public enum ChangeKind { Create, Update, Delete, Replace, Read }

public sealed record ResourceChange(string Address, ChangeKind Kind);

/// <summary>One attribute of a resource that changed outside Terraform: its path and its old and new values, as JSON.</summary>
public sealed record DriftedAttribute(string Path, string Old, string New)
{
    public override string ToString() => $"{Path}: {Old} → {New}";
}

/// <summary>A resource that changed outside Terraform since the last apply, with what changed (none when it was deleted).</summary>
public sealed record DriftedResource(string Address, string Action, IReadOnlyList<DriftedAttribute> Attributes)
{
    public override string ToString() =>
        Action == "delete" ? $"{Address}: deleted outside Terraform" : $"{Address}: {string.Join("; ", Attributes)}";
}

/// <summary>What a saved plan will do, read from <c>terraform show -json</c> (JSON output format 1.x).</summary>
public sealed record PlanSummary(
    string TerraformVersion,
    IReadOnlyList<ResourceChange> Changes,
    IReadOnlyList<DriftedResource> Drift,
    IReadOnlyList<string> OutputChanges)
{
    /// <summary>The drift this plan puts back: drifted resources the plan changes.</summary>
    public IReadOnlyList<DriftedResource> CorrectedDrift =>
        [.. Drift.Where(d => Changes.Any(c => c.Address == d.Address && c.Kind != ChangeKind.Read))];

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
                .Select(Drifted)
                .Where(d => d.Action == "delete" || d.Attributes.Count > 0)
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

    /// <summary>
    /// The attributes a refresh found changed. A change between two empty values (null, "", {}, []) is how a provider
    /// reads back what it wrote, not drift, and a resource with only such changes is not drifted.
    /// </summary>
    private static DriftedResource Drifted(JsonElement entry)
    {
        var actions = Actions(entry);
        var attributes = new List<DriftedAttribute>();
        if (entry.TryGetProperty("change", out var change) && change.TryGetProperty("before", out var before) && change.TryGetProperty("after", out var after))
        {
            var sensitive = new[] { "before_sensitive", "after_sensitive" }
                .Select(name => change.TryGetProperty(name, out var s) ? s : default).ToList();
            Compare("", before, after, sensitive, attributes);
        }
        return new DriftedResource(Address(entry), actions is ["delete"] ? "delete" : string.Join(", ", actions), attributes);
    }

    private static void Compare(string path, JsonElement before, JsonElement after, IReadOnlyList<JsonElement> sensitive, List<DriftedAttribute> found)
    {
        if (IsEmpty(before) && IsEmpty(after)) return;
        // Terraform marks a sensitive value true at its own path or at any parent's: its values never reach the summary.
        var hidden = sensitive.Any(s => s.ValueKind == JsonValueKind.True);
        if (!hidden && before.ValueKind == JsonValueKind.Object && after.ValueKind == JsonValueKind.Object)
        {
            var names = before.EnumerateObject().Select(p => p.Name).Union(after.EnumerateObject().Select(p => p.Name)).Order(StringComparer.Ordinal);
            foreach (var name in names)
                Compare(path.Length == 0 ? name : $"{path}.{name}", Child(before, name), Child(after, name), [.. sensitive.Select(s => Child(s, name))], found);
            return;
        }
        if (!hidden && before.ValueKind == JsonValueKind.Array && after.ValueKind == JsonValueKind.Array && before.GetArrayLength() == after.GetArrayLength())
        {
            for (var i = 0; i < before.GetArrayLength(); i++)
                Compare($"{path}[{i}]", before[i], after[i], [.. sensitive.Select(s => s.ValueKind == JsonValueKind.Array && s.GetArrayLength() > i ? s[i] : default)], found);
            return;
        }
        if (before.ValueKind != JsonValueKind.Undefined && after.ValueKind != JsonValueKind.Undefined && JsonElement.DeepEquals(before, after)) return;
        found.Add(new DriftedAttribute(path, hidden ? "(sensitive)" : Text(before), hidden ? "(sensitive)" : Text(after)));
    }

    private static JsonElement Child(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child) ? child : default;

    private static bool IsEmpty(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => true,
        JsonValueKind.String => value.GetString() is "",
        JsonValueKind.Object => !value.EnumerateObject().Any(),
        JsonValueKind.Array => value.GetArrayLength() == 0,
        _ => false,
    };

    private static string Text(JsonElement value)
    {
        var text = value.ValueKind == JsonValueKind.Undefined ? "null" : value.GetRawText();
        return text.Length <= 120 ? text : text[..117] + "...";
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
