using System.Text.Json;
using System.Text.Json.Nodes;

namespace Depoxy.Build.Engine;

/// <summary>Writes <c>.nuke/build.schema.json</c> in NUKE's layout, so editors complete parameters.json and profiles.</summary>
public static class SchemaGenerator
{
    public static string Generate(NukeBuild build)
    {
        var targets = Planner.Discover(build).Select(t => t.Name).ToList();
        var parameters = BuildParameter.Discover(build.GetType());

        var definitions = new JsonObject
        {
            ["ExecutableTarget"] = new JsonObject { ["type"] = "string", ["enum"] = Array(targets) },
            ["Verbosity"] = new JsonObject { ["type"] = "string", ["enum"] = Array(Enum.GetNames<Verbosity>()) },
            ["NukeBuild"] = new JsonObject
            {
                ["properties"] = new JsonObject
                {
                    ["Help"] = Described(new JsonObject { ["type"] = "boolean" }, "Shows the help text for this build assembly"),
                    ["NoLogo"] = Described(new JsonObject { ["type"] = "boolean" }, "Disables displaying the NUKE logo"),
                    ["Plan"] = Described(new JsonObject { ["type"] = "boolean" }, "Shows the execution plan"),
                    ["Profile"] = Described(new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } }, "Defines the profiles to load"),
                    ["Root"] = Described(new JsonObject { ["type"] = "string" }, "Root directory during build execution"),
                    ["Skip"] = Described(TargetArray(), "List of targets to be skipped. Empty list skips all dependencies"),
                    ["Target"] = Described(TargetArray(), "List of targets to be invoked. Default is '{default_target}'"),
                    ["Verbosity"] = Described(new JsonObject { ["$ref"] = "#/definitions/Verbosity" }, "Logging verbosity during build execution"),
                },
            },
        };

        var properties = new JsonObject();
        foreach (var parameter in parameters)
        {
            var type = TypeSchema(parameter);
            if (parameter.Description is { } description) type["description"] = description;
            if (parameter.IsSecret) type["default"] = "Secrets must be entered via 'nuke :secrets [profile]'";
            properties[parameter.Name] = type;
        }

        var schema = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-04/schema#",
            ["definitions"] = definitions,
            ["allOf"] = new JsonArray(new JsonObject { ["properties"] = properties }, new JsonObject { ["$ref"] = "#/definitions/NukeBuild" }),
        };
        return schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).Replace("\r\n", "\n") + "\n";
    }

    private static JsonObject TypeSchema(BuildParameter parameter)
    {
        JsonObject Element()
        {
            var type = parameter.ElementType;
            if (type == typeof(bool)) return new JsonObject { ["type"] = "boolean" };
            if (type == typeof(int)) return new JsonObject { ["type"] = "integer" };
            if (type.IsEnum) return new JsonObject { ["type"] = "string", ["enum"] = Array(Enum.GetNames(type)) };
            return new JsonObject { ["type"] = "string" };
        }
        return parameter.IsArray ? new JsonObject { ["type"] = "array", ["items"] = Element() } : Element();
    }

    private static JsonObject TargetArray() =>
        new() { ["type"] = "array", ["items"] = new JsonObject { ["$ref"] = "#/definitions/ExecutableTarget" } };

    private static JsonObject Described(JsonObject node, string description)
    {
        node["description"] = description;
        return node;
    }

    private static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);
}
