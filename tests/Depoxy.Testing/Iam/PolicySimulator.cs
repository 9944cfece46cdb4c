using System.Text.Json;
using System.Text.Json.Nodes;
using CliWrap;
using CliWrap.Buffered;
using Depoxy.Testing;

namespace Depoxy.Testing.Iam;

/// <summary>One request to simulate: who asks, the authorization, and the policies that decide.</summary>
public sealed record SimulationRequest(
    string Id,
    string Principal,
    Authorization Authorization,
    IReadOnlyList<NamedPolicy> IdentityPolicies,
    NamedPolicy? Boundary,
    JsonNode? ResourcePolicy);

/// <summary>Allowed, ExplicitlyDenied, ImplicitlyDenied (or Error), with the statements that decided it.</summary>
public sealed record Verdict(string Id, string Result, IReadOnlyList<string> Reasons)
{
    public bool Allowed => Result == "Allowed";

    public bool Denied => Result is "ExplicitlyDenied" or "ImplicitlyDenied";

    public override string ToString() => $"{Result} ({(Reasons.Count == 0 ? "no statement matched" : string.Join("; ", Reasons))})";
}

/// <summary>
/// A real IAM policy engine, offline: @cloud-copilot/iam-simulate through tests/tools/iam/simulate.mjs, one node
/// process for a whole batch.
/// </summary>
public static class PolicySimulator
{
    public const string AccountId = "123456789012";

    public static async Task<IReadOnlyDictionary<string, Verdict>> SimulateAsync(IReadOnlyCollection<SimulationRequest> requests)
    {
        RepositoryRoot.NodeModule("@cloud-copilot/iam-simulate");
        var node = MotoServer.FindOnPath("node") ?? throw new InvalidOperationException("node not found on PATH: install Node.js 20");
        var batch = new JsonObject
        {
            ["requests"] = new JsonArray(requests.Select(Serialize).ToArray<JsonNode?>()),
        };
        var result = await Cli.Wrap(node)
            .WithArguments([RepositoryRoot.Combine("tests", "tools", "iam", "simulate.mjs")])
            .WithWorkingDirectory(RepositoryRoot.Combine("tests", "tools"))
            .WithStandardInputPipe(PipeSource.FromString(batch.ToJsonString()))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"tests/tools/iam/simulate.mjs failed with exit code {result.ExitCode}: {result.StandardError}");
        var verdicts = JsonSerializer.Deserialize<List<Verdict>>(result.StandardOutput, new JsonSerializerOptions(JsonSerializerDefaults.Web))
                       ?? throw new InvalidOperationException("tests/tools/iam/simulate.mjs printed no verdicts");
        return verdicts.ToDictionary(v => v.Id);
    }

    private static JsonObject Serialize(SimulationRequest request)
    {
        var context = new JsonObject { ["aws:SecureTransport"] = "true" };
        // Multi-valued keys (aws:TagKeys) are written comma-separated in a call's context.
        foreach (var (key, value) in request.Authorization.Context)
            context[key] = key == "aws:TagKeys" ? new JsonArray(value.Split(',').Select(v => (JsonNode?)v).ToArray()) : value;
        return new JsonObject
        {
            ["id"] = request.Id,
            ["principal"] = request.Principal,
            ["action"] = request.Authorization.Action,
            ["resource"] = request.Authorization.Resource,
            ["accountId"] = AccountId,
            ["context"] = context,
            ["identityPolicies"] = new JsonArray(request.IdentityPolicies.Select(Named).ToArray<JsonNode?>()),
            ["permissionBoundaries"] = request.Boundary is null ? new JsonArray() : new JsonArray(Named(request.Boundary)),
            ["resourcePolicy"] = request.ResourcePolicy?.DeepClone(),
        };
    }

    private static JsonObject Named(NamedPolicy policy) => new() { ["name"] = policy.Name, ["policy"] = policy.Document.DeepClone() };
}
