using YamlDotNet.RepresentationModel;

namespace Depoxy.GitHub.Tests;

/// <summary>What issue 9 asks of each workflow, read from the YAML so an edit that drops it fails here.</summary>
public sealed class WorkflowShapeTests
{
    private static YamlMappingNode Load(string name)
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Workflows.Combine(name));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static YamlNode? At(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var next)) return null;
            node = next;
        }
        return node;
    }

    private static string? Text(YamlNode node, params string[] path) => (At(node, path) as YamlScalarNode)?.Value;

    private static IEnumerable<YamlMappingNode> JobSteps(YamlNode job) =>
        ((At(job, "steps") as YamlSequenceNode)?.Children ?? []).OfType<YamlMappingNode>();

    private static IEnumerable<YamlMappingNode> Steps(YamlNode workflow) =>
        ((YamlMappingNode)At(workflow, "jobs")!).Children.Values.SelectMany(JobSteps);

    private static IEnumerable<YamlMappingNode> StepsUsing(YamlNode workflow, string action) =>
        Steps(workflow).Where(s => Text(s, "uses")?.StartsWith(action + "@", StringComparison.Ordinal) == true);

    [Fact]
    public void Deploy_dev_runs_on_main_in_the_dev_environment_one_at_a_time()
    {
        var workflow = Load("deploy-dev.yml");
        var job = At(workflow, "jobs", "deploy")!;

        Assert.Equal("main", ((YamlSequenceNode)At(workflow, "on", "push", "branches")!).Children.Single().ToString());
        Assert.Equal("dev", Text(job, "environment"));
        Assert.Equal("deploy-dev", Text(job, "concurrency", "group"));
        Assert.Equal("false", Text(job, "concurrency", "cancel-in-progress"));
        Assert.Equal("write", Text(job, "permissions", "id-token"));
    }

    [Fact]
    public void Promote_prod_is_manual_in_the_prod_environment_and_never_builds()
    {
        var workflow = Load("promote-prod.yml");
        var job = At(workflow, "jobs", "promote")!;

        Assert.Equal("false", Text(workflow, "on", "workflow_dispatch", "inputs", "version", "required"));
        Assert.Equal("prod", Text(job, "environment"));
        Assert.Equal("deploy-prod", Text(job, "concurrency", "group"));
        Assert.Equal("false", Text(job, "concurrency", "cancel-in-progress"));
        var calls = BuildCalls.In(Workflows.Combine("promote-prod.yml"));
        Assert.All(calls, c => Assert.Equal(["Promote"], c.Targets));
    }

    [Fact]
    public void Pull_request_plans_with_oidc_and_comment_permissions_and_keeps_plans_briefly()
    {
        var workflow = Load("pull-request.yml");
        var plan = At(workflow, "jobs", "plan")!;

        Assert.NotNull(At(workflow, "on", "pull_request"));
        Assert.Equal("write", Text(plan, "permissions", "id-token"));
        Assert.Equal("read", Text(plan, "permissions", "contents"));
        Assert.Equal("write", Text(plan, "permissions", "pull-requests"));
        var planStep = Assert.Single(JobSteps(plan), s => Text(s, "run")?.StartsWith("./build.sh Plan ", StringComparison.Ordinal) == true);
        Assert.Equal("${{ secrets.GITHUB_TOKEN }}", Text(planStep, "env", "GITHUB_TOKEN"));
        var upload = Assert.Single(StepsUsing(workflow, "actions/upload-artifact"));
        Assert.InRange(int.Parse(Text(upload, "with", "retention-days")!), 1, 7);
    }

    [Fact]
    public void Drift_runs_weekly_and_by_hand_over_every_stage_and_stack()
    {
        var workflow = Load("drift.yml");

        Assert.Single(((YamlSequenceNode)At(workflow, "on", "schedule")!).Children);
        Assert.NotNull(At(workflow, "on", "workflow_dispatch"));
        Assert.Equal(["dev", "prod"], ((YamlSequenceNode)At(workflow, "jobs", "drift", "strategy", "matrix", "stage")!).Children.Select(c => c.ToString()));
        Assert.Equal(["api", "www", "app"], ((YamlSequenceNode)At(workflow, "jobs", "drift", "strategy", "matrix", "stack")!).Children.Select(c => c.ToString()));
        Assert.Equal("write", Text(workflow, "jobs", "drift", "permissions", "issues"));
    }

    [Fact]
    public void Every_workflow_sets_up_dotnet_from_global_json_and_terraform_without_its_wrapper()
    {
        foreach (var name in Workflows.All.Select(Path.GetFileName))
        {
            var workflow = Load(name!);
            Assert.All(StepsUsing(workflow, "actions/setup-dotnet"), s => Assert.Equal("global.json", Text(s, "with", "global-json-file")));
            Assert.All(StepsUsing(workflow, "hashicorp/setup-terraform"), s => Assert.Equal("false", Text(s, "with", "terraform_wrapper")));
            Assert.All(StepsUsing(workflow, "actions/cache"), s =>
                Assert.Equal("nuget-${{ runner.os }}-${{ hashFiles('global.json', 'Directory.Packages.props', '**/*.csproj') }}", Text(s, "with", "key")));
        }
    }
}
