using System.Text.Json.Nodes;
using Depoxy.Build.Engine;

namespace Depoxy.GitHub.Tests;

/// <summary>The targets and options a build declares, read from the <c>.nuke/build.schema.json</c> it writes in
/// NUKE's layout: <c>definitions.ExecutableTarget.enum</c> for targets, the build's and NukeBuild's
/// <c>properties</c> for parameters, whose options are their kebab-case forms.</summary>
public sealed record BuildSchema(IReadOnlySet<string> Targets, IReadOnlySet<string> Options)
{
    public static BuildSchema Load(string path)
    {
        var text = File.Exists(path) ? File.ReadAllText(path) : "";
        if (string.IsNullOrWhiteSpace(text))
            throw new InvalidOperationException($"{path} is missing or empty: run ./build.sh --help once to write it");
        var root = JsonNode.Parse(text) ?? throw new InvalidOperationException($"{path} is not JSON");

        var targets = (root["definitions"]?["ExecutableTarget"]?["enum"]?.AsArray() ?? [])
            .Select(t => t!.GetValue<string>())
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (targets.Count == 0) throw new InvalidOperationException($"{path} lists no targets in definitions.ExecutableTarget.enum");

        var propertyBlocks = (root["allOf"]?.AsArray() ?? []).Select(part => part?["properties"])
            .Append(root["properties"])
            .Append(root["definitions"]?["NukeBuild"]?["properties"]);
        var options = propertyBlocks.OfType<JsonObject>()
            .SelectMany(block => block.Select(p => CommandLine.ToKebab(p.Key)))
            .ToHashSet(StringComparer.Ordinal);
        return new BuildSchema(targets, options);
    }

    /// <summary>NUKE's command line takes a target by its name in any case or in kebab-case.</summary>
    public bool DeclaresTarget(string name) =>
        Targets.Contains(name) || Targets.Any(t => CommandLine.ToKebab(t) == name.ToLowerInvariant());
}
