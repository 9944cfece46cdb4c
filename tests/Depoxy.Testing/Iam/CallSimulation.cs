using System.Text.Json.Nodes;

namespace Depoxy.Testing.Iam;

/// <summary>Which calls no role allows, and per role how many distinct (action, resource) pairs were simulated.</summary>
public sealed record CallSimulationReport(IReadOnlyList<string> Refused, IReadOnlyDictionary<string, int> PairsByRole, int Authorizations, int Calls)
{
    public IEnumerable<string> Summary() =>
        PairsByRole.OrderBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => $"{r.Key}: {r.Value} distinct (action, resource) pairs simulated, " + (Refused.Count == 0 ? "all allowed" : "see the refusals"))
            .Append($"{Authorizations} authorizations from {Calls} calls simulated");
}

/// <summary>
/// Simulates calls as the role that makes them, each authorization with the role's policies, its permissions boundary
/// and, for S3, the bucket's policy as the resource policy: the same decision AWS makes.
/// </summary>
public static class CallSimulation
{
    public static async Task<CallSimulationReport> SimulateAsync(CiPolicies policies, IReadOnlyList<PipelineCall> calls)
    {
        var requests = calls
            .SelectMany(call => OperationActions.For(call).Select(authorization => (Call: call, Authorization: authorization)))
            .Select((pair, index) => (pair.Call, Request: Request(policies, $"call-{index}", policies.Role(pair.Call.Role), pair.Authorization)))
            .ToList();
        var verdicts = await PolicySimulator.SimulateAsync(requests.Select(r => r.Request).ToList());
        var refused = requests.Where(r => !verdicts[r.Request.Id].Allowed)
            .Select(r => $"{r.Call} needs {r.Request.Authorization.Action} on {r.Request.Authorization.Resource}: {verdicts[r.Request.Id]}")
            .Distinct().ToList();
        var pairs = requests.GroupBy(r => r.Call.Role)
            .ToDictionary(g => g.Key, g => g.Select(r => (r.Request.Authorization.Action, r.Request.Authorization.Resource)).Distinct().Count());
        return new CallSimulationReport(refused, pairs, requests.Count, calls.Count);
    }

    public static SimulationRequest Request(CiPolicies policies, string id, RolePolicies role, Authorization authorization) =>
        new(id, role.Arn, authorization, role.Policies, role.Boundary, ResourcePolicyOf(policies, authorization.Resource));

    /// <summary>An S3 request is also decided by its bucket's policy.</summary>
    private static JsonNode? ResourcePolicyOf(CiPolicies policies, string resource) =>
        resource.StartsWith("arn:aws:s3:::", StringComparison.Ordinal)
            ? policies.BucketPolicy(resource["arn:aws:s3:::".Length..].Split('/')[0])
            : null;
}
