using System.Diagnostics;
using System.Text.Json.Nodes;
using Depoxy.Testing.Iam;
using Xunit.Abstractions;

namespace Depoxy.Iam.Tests;

/// <summary>
/// The CI roles as tf/ci creates them, proven with a real IAM policy engine: every call Terraform makes in every flow
/// is allowed for the role that runs it, and every forbidden call is denied. The build's own calls are recorded and
/// proven the same way by Depoxy.Pipeline.Tests' OfflineCommandLineTests.
/// </summary>
[Trait("Tier", "terraform")]
[Collection(CiStackCollection.Name)]
public sealed class LeastPrivilegeTests(CiStack ci, ITestOutputHelper output)
{
    [Fact]
    public async Task Every_call_Terraform_makes_in_every_flow_is_allowed_for_the_role_that_runs_it()
    {
        var clock = Stopwatch.StartNew();
        var report = await CallSimulation.SimulateAsync(ci.Policies, TerraformCalls.All);

        Assert.True(report.Refused.Count == 0, $"{report.Refused.Count} calls Terraform makes are not allowed:{Environment.NewLine}{string.Join(Environment.NewLine, report.Refused)}");
        foreach (var line in report.Summary()) output.WriteLine(line);
        output.WriteLine($"simulated in {clock.Elapsed.TotalSeconds:0.0} s; tf/ci applied to moto in {ci.ApplyTime.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task Every_forbidden_call_is_denied()
    {
        var forbidden = ForbiddenCalls.All;
        Assert.True(forbidden.Count >= 30, $"the forbidden table has {forbidden.Count} cases, the issue asks for at least 30");
        var requests = forbidden.Select((call, index) => Request($"forbidden-{index}", call.Role,
            new Authorization(call.Action, call.Resource, call.Context.ToDictionary(c => c.Key, c => c.Value)))).ToList();
        var verdicts = await PolicySimulator.SimulateAsync(requests);

        output.WriteLine("| # | Role | Action | Resource | Why it must be refused | Verdict |");
        output.WriteLine("|---|---|---|---|---|---|");
        for (var i = 0; i < forbidden.Count; i++)
            output.WriteLine($"| {i + 1} | {forbidden[i].Role} | {forbidden[i].Action} | {forbidden[i].Resource} | {forbidden[i].Why} | {verdicts[requests[i].Id]} |");
        var allowed = forbidden.Where((_, i) => !verdicts[requests[i].Id].Denied).Select((call, _) => call.ToString()).ToList();
        Assert.True(allowed.Count == 0, $"{allowed.Count} forbidden calls are not denied:{Environment.NewLine}{string.Join(Environment.NewLine, allowed)}");
    }

    [Fact]
    public async Task Terraform_state_locks_of_deploy_deploy_again_promote_and_promote_again_are_all_released()
    {
        var flows = new[]
        {
            TerraformCalls.Deploy("dev", firstRelease: true), TerraformCalls.Deploy("dev", firstRelease: false),
            TerraformCalls.Promote(firstRelease: true), TerraformCalls.Promote(firstRelease: false),
        };
        var locks = flows.SelectMany(flow => flow).Where(IsStateLockCall).ToList();
        var requests = locks.Select((call, index) => Request($"lock-{index}", call.Role, OperationActions.For(call)[0])).ToList();
        var verdicts = await PolicySimulator.SimulateAsync(requests);

        // Every lock call is allowed, so each takes effect; replayed, every lock taken is given back.
        for (var i = 0; i < locks.Count; i++)
            Assert.True(verdicts[requests[i].Id].Allowed, $"{locks[i]} is refused: {verdicts[requests[i].Id]}");
        var replayed = LockReplay.Problems(locks);
        Assert.True(replayed.Count == 0, $"the state locks, replayed:{Environment.NewLine}{string.Join(Environment.NewLine, replayed)}");
        Assert.Equal(4 * 3 * 2 * 2, locks.Count);
    }

    [Fact]
    public async Task What_the_dev_function_does_at_run_time_passes_the_boundary_its_role_carries()
    {
        const string a = PolicySimulator.AccountId;
        var calls = new Authorization[]
        {
            new("logs:PutLogEvents", $"arn:aws:logs:eu-west-1:{a}:log-group:/aws/lambda/depoxy-dev-api-function:log-stream:2026/01/01/[$LATEST]abc", new Dictionary<string, string>()),
            new("s3:GetObject", "arn:aws:s3:::depoxy-dev-data/api/users/1.json", new Dictionary<string, string>()),
            new("s3:PutObject", "arn:aws:s3:::depoxy-dev-data/api/users/1.json", new Dictionary<string, string>()),
            new("secretsmanager:GetSecretValue", $"arn:aws:secretsmanager:eu-west-1:{a}:secret:dev/depoxy/api-AbCdEf", new Dictionary<string, string>()),
            new("ses:SendEmail", $"arn:aws:ses:eu-west-1:{a}:identity/send.depoxy.dev", new Dictionary<string, string> { ["ses:FromAddress"] = "login@send.depoxy.dev" }),
        };
        var requests = calls.Select((call, index) => Request($"runtime-{index}", ForbiddenCalls.BoundedDevRole, call)).ToList();
        var verdicts = await PolicySimulator.SimulateAsync(requests);

        var refused = requests.Where(r => !verdicts[r.Id].Allowed).Select(r => $"{r.Authorization.Action} {r.Authorization.Resource}: {verdicts[r.Id]}").ToList();
        Assert.True(refused.Count == 0, $"dev's boundary refuses what its function needs:{Environment.NewLine}{string.Join(Environment.NewLine, refused)}");
    }

    [Theory]
    [InlineData("github-depoxy-dev-plan", "StringLike", "repo:acme/depoxy:pull_request:ref:refs/pull/*/merge")]
    [InlineData("github-depoxy-prod-plan", "StringLike", "repo:acme/depoxy:pull_request:ref:refs/pull/*/merge")]
    [InlineData("github-depoxy-dev-drift", "StringEquals", "repo:acme/depoxy:ref:refs/heads/main:ref:refs/heads/main")]
    [InlineData("github-depoxy-prod-drift", "StringEquals", "repo:acme/depoxy:ref:refs/heads/main:ref:refs/heads/main")]
    [InlineData("github-depoxy-dev-apply", "StringEquals", "repo:acme/depoxy:environment:dev:ref:refs/heads/main")]
    [InlineData("github-depoxy-prod-apply", "StringEquals", "repo:acme/depoxy:environment:prod:ref:refs/heads/main")]
    public void Each_role_trusts_one_subject_of_the_customised_template(string role, string test, string subject)
    {
        var statements = ci.Policies.Role(role).Trust["Statement"]!.AsArray();
        var statement = Assert.Single(statements)!;
        Assert.Equal("sts:AssumeRoleWithWebIdentity", statement["Action"]!.ToString());
        Assert.Equal(subject, statement["Condition"]![test]!["token.actions.githubusercontent.com:sub"]!.ToString());
        Assert.Equal("sts.amazonaws.com", statement["Condition"]!["StringEquals"]!["token.actions.githubusercontent.com:aud"]!.ToString());
    }

    private static bool IsStateLockCall(PipelineCall call) =>
        call.Operation is "PutObject" or "DeleteObject" && call.Resource.EndsWith(".tflock", StringComparison.Ordinal);

    private SimulationRequest Request(string id, string roleName, Authorization authorization) =>
        CallSimulation.Request(ci.Policies, id, roleName == ForbiddenCalls.BoundedDevRole ? BoundedDevRole() : ci.Policies.Role(roleName), authorization);

    /// <summary>A role the dev apply role could create: its own policy allows everything, dev's boundary is all that holds it.</summary>
    private RolePolicies BoundedDevRole()
    {
        var boundary = ci.Policies.ManagedPolicies[TerraformCalls.Boundary("dev")];
        var everything = JsonNode.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""")!;
        return new RolePolicies(ForbiddenCalls.BoundedDevRole, $"arn:aws:iam::{PolicySimulator.AccountId}:role/{ForbiddenCalls.BoundedDevRole}",
            new JsonObject(), [new NamedPolicy("allow-everything", everything)], boundary);
    }
}
