using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Depoxy.GitHub.Tests;

/// <summary>What issues 9 and 15 ask of each workflow, read from the YAML so an edit that drops it fails here.</summary>
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

    /// <summary>The steps of a workflow's jobs, or of one job, that use <paramref name="action"/>.</summary>
    private static IEnumerable<YamlMappingNode> StepsUsing(YamlNode workflowOrJob, string action) =>
        (At(workflowOrJob, "jobs") is null ? JobSteps(workflowOrJob) : Steps(workflowOrJob))
        .Where(s => Text(s, "uses")?.StartsWith(action + "@", StringComparison.Ordinal) == true);

    private static YamlMappingNode Job(YamlNode workflow, string name) =>
        Assert.IsType<YamlMappingNode>(At(workflow, "jobs", name), exactMatch: false);

    private static IReadOnlyList<string> Needs(YamlNode job) => At(job, "needs") switch
    {
        YamlScalarNode one => [one.Value!],
        YamlSequenceNode many => [.. many.Children.Select(c => c.ToString())],
        _ => [],
    };

    private static IReadOnlyList<string> BuildTargets(YamlNode job) =>
        [.. JobSteps(job).Select(s => Text(s, "run")).OfType<string>()
            .SelectMany(run => run.Split('\n'))
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("./build.sh ", StringComparison.Ordinal))
            .Select(line => line.Split(' ')[1])
            .Distinct()];

    private const string MainOnly = "github.ref == 'refs/heads/main'";

    /// <summary>What issue 15 asks of deploy-dev and promote-prod alike: a plan job under a read-only role that uploads
    /// artifacts/ as one artifact, then an apply job in the stage's environment that downloads exactly that artifact
    /// before it applies; both only on main, one run of the workflow at a time, never cancelled while it runs.</summary>
    private static void AssertPlanThenApply(string file, string concurrencyGroup, string environment, string readRole, string planTarget, string applyTarget)
    {
        var workflow = Load(file);
        Assert.Equal(["apply", "plan"], ((YamlMappingNode)At(workflow, "jobs")!).Children.Keys.Select(k => k.ToString()).Order());
        Assert.Equal(concurrencyGroup, Text(workflow, "concurrency", "group"));
        Assert.Equal("false", Text(workflow, "concurrency", "cancel-in-progress"));

        var plan = Job(workflow, "plan");
        Assert.Null(At(plan, "environment"));
        Assert.Equal(MainOnly, Text(plan, "if"));
        Assert.Equal("write", Text(plan, "permissions", "id-token"));
        Assert.Equal($"${{{{ vars.{readRole} }}}}", Text(Assert.Single(StepsUsing(plan, "aws-actions/configure-aws-credentials")), "with", "role-to-assume"));
        Assert.Equal([planTarget], BuildTargets(plan));
        var upload = Assert.Single(StepsUsing(plan, "actions/upload-artifact"));
        // The build's intermediate folders stay behind: the apply job needs the release and the sealed plans, not the compiler's output.
        Assert.Equal(["artifacts/", "!artifacts/test-results/**", "!artifacts/dotnet/**", "!artifacts/publish/**"], Text(upload, "with", "path")!.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("error", Text(upload, "with", "if-no-files-found"));
        Assert.True(JobSteps(plan).ToList().IndexOf(upload) > JobSteps(plan).ToList().FindIndex(s => Text(s, "run")?.Contains(planTarget) == true));

        var apply = Job(workflow, "apply");
        Assert.Equal(["plan"], Needs(apply));
        Assert.Equal(environment, Text(apply, "environment"));
        Assert.Equal(MainOnly, Text(apply, "if"));
        Assert.Equal("write", Text(apply, "permissions", "id-token"));
        Assert.Equal("${{ vars.AWS_APPLY_ROLE_ARN }}", Text(Assert.Single(StepsUsing(apply, "aws-actions/configure-aws-credentials")), "with", "role-to-assume"));
        Assert.Equal([applyTarget, "Metrics"], BuildTargets(apply));
        var download = Assert.Single(StepsUsing(apply, "actions/download-artifact"));
        Assert.Equal(Text(upload, "with", "name"), Text(download, "with", "name"));
        Assert.Equal("artifacts", Text(download, "with", "path"));
        var steps = JobSteps(apply).ToList();
        Assert.True(steps.IndexOf(download) < steps.FindIndex(s => Text(s, "run")?.Contains(applyTarget) == true), "the apply job downloads the plans before it applies");
        // The metrics read the ledger after the release wrote this attempt to it, whatever its outcome.
        var metrics = steps.FindIndex(s => Text(s, "run")?.Contains("./build.sh Metrics") == true);
        Assert.True(metrics > steps.FindIndex(s => Text(s, "run")?.Contains(applyTarget) == true), "the apply job computes the metrics after the release");
        Assert.Equal("${{ !cancelled() }}", Text(steps[metrics], "if"));
    }

    [Fact]
    public void Deploy_dev_plans_on_main_then_applies_those_plans_in_the_dev_environment()
    {
        AssertPlanThenApply("deploy-dev.yml", "deploy-dev", "dev", "AWS_MAIN_ROLE_ARN_DEV", "PlanDeploy", "ApplyDeploy");

        Assert.Equal("main", ((YamlSequenceNode)At(Load("deploy-dev.yml"), "on", "push", "branches")!).Children.Single().ToString());
    }

    [Fact]
    public void Promote_prod_plans_by_hand_then_waits_for_approval_and_applies_those_plans_in_prod()
    {
        AssertPlanThenApply("promote-prod.yml", "deploy-prod", "prod", "AWS_MAIN_ROLE_ARN_PROD", "PlanPromote", "ApplyPromote");

        var workflow = Load("promote-prod.yml");
        Assert.Equal("false", Text(workflow, "on", "workflow_dispatch", "inputs", "version", "required"));
        Assert.DoesNotContain(Workflows.All.SelectMany(BuildCalls.In), c => c.Targets.Contains("Promote") || c.Targets.Contains("Deploy"));
    }

    [Fact]
    public void Pull_request_plans_with_oidc_and_comment_permissions_and_uploads_no_plan_files()
    {
        var workflow = Load("pull-request.yml");
        var plan = Job(workflow, "plan");

        Assert.NotNull(At(workflow, "on", "pull_request"));
        Assert.Equal("write", Text(plan, "permissions", "id-token"));
        Assert.Equal("read", Text(plan, "permissions", "contents"));
        Assert.Equal("write", Text(plan, "permissions", "pull-requests"));
        var planStep = Assert.Single(JobSteps(plan), s => Text(s, "run")?.StartsWith("./build.sh Plan ", StringComparison.Ordinal) == true);
        Assert.Equal("${{ secrets.GITHUB_TOKEN }}", Text(planStep, "env", "GITHUB_TOKEN"));
        Assert.Contains("github.event.pull_request.head.repo.full_name == github.repository", Text(plan, "if"));
        Assert.Empty(StepsUsing(workflow, "actions/upload-artifact"));
        Assert.DoesNotContain(((YamlMappingNode)At(workflow, "jobs")!).Children.Values, job => At(job, "environment") is not null);
    }

    [Fact]
    public void Pull_request_plans_tf_ci_read_only_when_it_or_the_build_changed()
    {
        var workflow = Load("pull-request.yml");
        var changes = Job(workflow, "changes");
        var planCi = Job(workflow, "plan-ci");

        Assert.Equal("${{ steps.plans.outputs.ci }}", Text(changes, "outputs", "ci"));
        Assert.Equal("${{ steps.plans.outputs.matrix }}", Text(changes, "outputs", "matrix"));
        Assert.Contains(".github/scripts/changed-stacks.sh", Text(Assert.Single(JobSteps(changes), s => Text(s, "id") == "plans"), "run"));
        Assert.Equal(["test", "changes"], Needs(planCi));
        Assert.Contains("needs.changes.outputs.ci == 'true'", Text(planCi, "if"));
        Assert.Contains("github.event.pull_request.head.repo.full_name == github.repository", Text(planCi, "if"));
        Assert.Equal(["PlanCi"], BuildTargets(planCi));
        Assert.Equal("${{ vars.AWS_PLAN_ROLE_ARN_DEV }}", Text(Assert.Single(StepsUsing(planCi, "aws-actions/configure-aws-credentials")), "with", "role-to-assume"));
        Assert.Null(At(planCi, "environment"));
    }

    [Fact]
    public void Role_arns_and_the_region_are_variables_and_the_only_secret_is_the_workflow_token()
    {
        foreach (var file in Workflows.All)
        {
            var text = File.ReadAllText(file);
            Assert.All(Regex.Matches(text, @"secrets\.[A-Za-z_]+").Select(m => m.Value), s => Assert.Equal("secrets.GITHUB_TOKEN", s));
            var workflow = Load(Path.GetFileName(file));
            Assert.All(StepsUsing(workflow, "aws-actions/configure-aws-credentials"), s =>
            {
                Assert.Contains("vars.AWS_", Text(s, "with", "role-to-assume"));
                Assert.Equal("${{ env.AWS_REGION }}", Text(s, "with", "aws-region"));
            });
            Assert.Equal("${{ vars.AWS_REGION }}", Text(workflow, "env", "AWS_REGION"));
        }
    }

    [Fact]
    public void Apply_roles_are_assumed_only_in_an_environment_and_jobs_acting_for_main_run_only_on_main()
    {
        foreach (var file in Workflows.All.Select(Path.GetFileName))
            foreach (var (name, job) in ((YamlMappingNode)At(Load(file!), "jobs")!).Children)
            {
                var roles = StepsUsing(job, "aws-actions/configure-aws-credentials").Select(s => Text(s, "with", "role-to-assume")!).ToList();
                var inEnvironment = At(job, "environment") is not null;
                Assert.All(roles, role => Assert.True(role.Contains("APPLY") == inEnvironment, $"{file}: job {name} assumes {role} {(inEnvironment ? "in" : "outside")} an environment"));
                if (file != "pull-request.yml")
                    Assert.True(Text(job, "if") == MainOnly, $"{file}: job {name} lacks if: {MainOnly}");
            }
    }

    [Fact]
    public void Every_variable_the_workflows_read_is_in_the_readme_setup_and_no_other()
    {
        var used = Workflows.All.SelectMany(f => Regex.Matches(File.ReadAllText(f), @"vars\.([A-Z0-9_]+)").Select(m => m.Groups[1].Value)).ToHashSet();
        var readme = File.ReadAllText(Depoxy.Testing.RepositoryRoot.Combine("README.md"));
        var section = readme[readme.IndexOf("## GitHub Actions: for repository owners", StringComparison.Ordinal)..];
        var documented = Regex.Matches(section, @"^\s*\| `([A-Z0-9_]+)` \|", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToHashSet();

        Assert.Equal(used.Order(), documented.Order());
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
