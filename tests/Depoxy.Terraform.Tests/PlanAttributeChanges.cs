using System.Text.Json.Nodes;

namespace Depoxy.Terraform.Tests;

/// <summary>
/// Every attribute a saved plan would change or found drifted, read from <c>terraform show -json</c>: one line per
/// attribute path, with the value before and after ("(known after apply)" for unknown values).
/// </summary>
public static class PlanAttributeChanges
{
    public static IReadOnlyList<string> From(string showJson)
    {
        var plan = JsonNode.Parse(showJson)!;
        return Changed(plan["resource_changes"], "change").Concat(Changed(plan["resource_drift"], "drift")).ToList();
    }

    private static IEnumerable<string> Changed(JsonNode? entries, string what)
    {
        foreach (var entry in entries?.AsArray() ?? [])
        {
            var change = entry!["change"]!;
            var actions = change["actions"]!.AsArray().Select(a => (string?)a).ToList();
            if (actions is ["no-op"] or ["read"]) continue;
            var address = (string?)entry["address"];
            var differences = new List<string>();
            Compare(change["before"], change["after"], change["after_unknown"], "", differences);
            if (differences.Count == 0) differences.Add($"({string.Join(", ", actions)})");
            foreach (var difference in differences) yield return $"{what} {address}: {difference}";
        }
    }

    private static void Compare(JsonNode? before, JsonNode? after, JsonNode? unknown, string path, List<string> differences)
    {
        if (unknown is JsonValue flag && flag.TryGetValue<bool>(out var isUnknown) && isUnknown)
        {
            differences.Add($"{Name(path)}: {Text(before)} → (known after apply)");
            return;
        }
        if (before is JsonObject left && after is JsonObject right)
        {
            foreach (var key in left.Select(p => p.Key).Union(right.Select(p => p.Key)).Order(StringComparer.Ordinal))
                Compare(left[key], right[key], (unknown as JsonObject)?[key], $"{path}.{key}", differences);
            return;
        }
        if (before is JsonArray first && after is JsonArray second && first.Count == second.Count)
        {
            for (var i = 0; i < first.Count; i++)
                Compare(first[i], second[i], (unknown as JsonArray)?.ElementAtOrDefault(i), $"{path}[{i}]", differences);
            return;
        }
        if (!JsonNode.DeepEquals(before, after)) differences.Add($"{Name(path)}: {Text(before)} → {Text(after)}");
    }

    private static string Name(string path) => path.Length == 0 ? "(the resource)" : path.TrimStart('.');

    private static string Text(JsonNode? value) => value?.ToJsonString() ?? "null";
}
