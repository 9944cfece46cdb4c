using System.Text.Json;

namespace Depoxy.Terraform;

/// <summary>The outputs of one applied stack, from <c>terraform output -json</c>.</summary>
public sealed record StackOutputs(string Stage, string Stack, IReadOnlyDictionary<string, string> Values)
{
    public string Get(string name) =>
        Values.TryGetValue(name, out var value)
            ? value
            : throw new TerraformException($"tf/{Stage}/{Stack} has no output '{name}': add it to tf/{Stage}/{Stack}/outputs.tf and apply.");

    public ApiStackOutputs Api() => new(Get("function_name"), Get("alias_name"), Get("api_endpoint"), Get("distribution_id"), Get("public_url"));

    public SiteStackOutputs Site() => new(Get("bucket_name"), Get("distribution_id"), Get("public_url"));

    /// <summary>Parses output -json; string values as they are, others as compact JSON text.</summary>
    public static StackOutputs Parse(TerraformStack stack, string outputJson, Action<string>? onSensitive = null)
    {
        using var document = JsonDocument.Parse(outputJson);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var output in document.RootElement.EnumerateObject())
        {
            var value = output.Value.GetProperty("value");
            var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            if (output.Value.TryGetProperty("sensitive", out var s) && s.ValueKind == JsonValueKind.True) onSensitive?.Invoke(text);
            values[output.Name] = text;
        }
        return new StackOutputs(stack.Stage, stack.Name, values);
    }

    /// <summary>The output names each stack must declare: the deploy flow reads them after Apply.</summary>
    public static IReadOnlyList<string> RequiredNames(string stackName) => stackName switch
    {
        "api" => ApiStackOutputs.Names,
        _ => SiteStackOutputs.Names,
    };

    public void Write(string path) =>
        File.WriteAllText(path, JsonSerializer.Serialize(new SortedDictionary<string, string>(Values.ToDictionary()), new JsonSerializerOptions { WriteIndented = true }));

    /// <summary>Where Apply saves a stack's outputs, for deploy steps that run in a later process.</summary>
    public static string SavedFile(string artifactsDirectory, TerraformStack stack) =>
        Path.Combine(artifactsDirectory, "terraform", $"outputs-{stack.Stage}-{stack.Name}.json");

    public static StackOutputs Read(TerraformStack stack, string path)
    {
        if (!File.Exists(path))
            throw new TerraformException($"{path} is missing: run the Apply target for {stack} first.");
        var values = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path))
                     ?? throw new TerraformException($"{path} is empty: run the Apply target for {stack} again.");
        return new StackOutputs(stack.Stage, stack.Name, values);
    }
}

/// <summary>What the deploy flow needs from the api stack.</summary>
public sealed record ApiStackOutputs(string FunctionName, string AliasName, string ApiEndpoint, string DistributionId, string PublicUrl)
{
    public static readonly IReadOnlyList<string> Names = ["function_name", "alias_name", "api_endpoint", "distribution_id", "public_url"];
}

/// <summary>What the deploy flow needs from the www and app stacks.</summary>
public sealed record SiteStackOutputs(string BucketName, string DistributionId, string PublicUrl)
{
    public static readonly IReadOnlyList<string> Names = ["bucket_name", "distribution_id", "public_url"];
}
