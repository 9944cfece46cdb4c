namespace Depoxy.Terraform.Tests;

public sealed class TerraformRunnerTests : IDisposable
{
    private const string Commit = "0123456789abcdef0123456789abcdef01234567";
    private readonly StandInTerraform _terraform = new();
    private readonly string _root = Directory.CreateTempSubdirectory("depoxy-tf-root-").FullName;
    private readonly TerraformSettings _settings;

    public TerraformRunnerTests()
    {
        foreach (var stage in TerraformStack.Stages)
        foreach (var stack in TerraformStack.Names)
            Directory.CreateDirectory(System.IO.Path.Combine(_root, "tf", stage, stack));
        _settings = new TerraformSettings(_root, "depoxy-terraform-state", "depoxy-artifacts-dev", "eu-west-1", "1.4.0", Commit) { SourceCodeHash = ApiHash };
        _terraform.Replay("show", Fixtures.Read("show", "api-mixed.json"));
        _terraform.Replay("output", Fixtures.Read("output-api.json"));
    }

    private TerraformRunner Runner(TerraformSettings? settings = null) =>
        new(settings ?? _settings, new TerraformCli(_terraform.Executable));

    private const string ApiHash = "8ZBHBxc5+RNGlDfC91zWmATpVfNQ/tn/uKqn9bZNmWI=";
    private static readonly TerraformStack DevApi = new("dev", "api");

    private string WorkDirectory(string stage, string stack) => System.IO.Path.Combine(_root, ".nuke", "temp", "terraform", stage, stack);

    [Fact]
    public async Task Plan_calls_version_init_state_pull_plan_show_with_exact_argv_in_the_stacks_scratch_copy()
    {
        await Runner().PlanAsync(DevApi);

        var calls = _terraform.Calls();
        var planFile = System.IO.Path.Combine(_root, "artifacts", "terraform", "plan-dev-api.tfplan");
        Assert.Equal(
            [
                ["version", "-json"],
                ["init", "-input=false", "-no-color", "-reconfigure", "-backend-config=bucket=depoxy-terraform-state",
                    "-backend-config=key=dev/api/terraform.tfstate", "-backend-config=region=eu-west-1", "-backend-config=use_lockfile=true"],
                ["state", "pull"],
                ["plan", "-input=false", "-no-color", "-lock-timeout=1m", $"-out={planFile}",
                    "-var=lambda-function-version=1.4.0", "-var=lambda-function-s3-bucket-name=depoxy-artifacts-dev", $"-var=lambda-function-source-code-hash={ApiHash}"],
                ["show", "-json", planFile],
            ],
            calls.Select(c => c.Args.ToArray()).ToArray());
        Assert.All(calls, c => Assert.Equal(WorkDirectory("dev", "api"), c.Cwd));
        Assert.All(calls, c => Assert.Equal("1", c.Environment["TF_IN_AUTOMATION"]));
        Assert.All(calls, c => Assert.Equal("0", c.Environment["TF_INPUT"]));
    }

    [Fact]
    public async Task Plan_of_a_site_stack_passes_no_variables_and_its_own_state_key()
    {
        _terraform.Replay("show", Fixtures.Read("show", "www-no-changes.json"));
        var planned = await Runner(_settings with { ArtifactsBucket = "depoxy-artifacts-prod" }).PlanAsync(new TerraformStack("prod", "www"));

        var calls = _terraform.Calls();
        Assert.Contains("-backend-config=key=prod/www/terraform.tfstate", calls[1].Args);
        Assert.Equal("plan", calls[3].Args[0]);
        Assert.DoesNotContain(calls[3].Args, a => a.StartsWith("-var", StringComparison.Ordinal));
        Assert.Equal(WorkDirectory("prod", "www"), calls[3].Cwd);
        Assert.False(planned.Summary.HasChanges);
        Assert.Contains("No changes.", File.ReadAllText(planned.SummaryFile));
    }

    [Fact]
    public async Task Plan_writes_the_markdown_summary_and_a_seal_with_the_plan_sha256_and_commit()
    {
        var planned = await Runner().PlanAsync(DevApi);

        Assert.Equal(System.IO.Path.Combine(_root, "artifacts", "plan-dev-api.md"), planned.SummaryFile);
        var markdown = File.ReadAllText(planned.SummaryFile);
        Assert.Contains("| 1 | 1 | 2 | 1 |", markdown);
        Assert.Contains("| replace | `module.api-gateway.aws_apigatewayv2_integration.lambda` |", markdown);
        Assert.Contains("**Drift:** 1 resource(s)", markdown);
        Assert.Contains(Commit, markdown);

        var seal = PlanSeal.Read(_settings.SealFile(DevApi));
        Assert.Equal(PlanSeal.HashFile(planned.PlanFile), seal.Sha256);
        Assert.Equal(64, seal.Sha256.Length);
        Assert.Equal(Commit, seal.Commit);
        Assert.Equal(("dev", "api", "1.4.0"), (seal.Stage, seal.Stack, seal.Version));
        Assert.Contains(seal.Sha256, markdown);

        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(_root, "artifacts", "plan-dev-api.json")));
        Assert.True(json.RootElement.GetProperty("has_changes").GetBoolean());
        Assert.Equal(2, json.RootElement.GetProperty("replace").GetInt32());
        Assert.Equal(seal.Sha256, json.RootElement.GetProperty("plan_sha256").GetString());
    }

    [Fact]
    public async Task A_plan_of_uncommitted_files_records_them_in_its_seal()
    {
        await Runner(_settings with { Uncommitted = ["tf/dev/api/main.tf"] }).PlanAsync(DevApi);
        await Runner().PlanAsync(new TerraformStack("dev", "www"));

        Assert.Equal(["tf/dev/api/main.tf"], PlanSeal.Read(_settings.SealFile(DevApi)).Uncommitted);
        Assert.Null(PlanSeal.Read(_settings.SealFile(new TerraformStack("dev", "www"))).Uncommitted);
    }

    // Only this class plans, and xunit runs a class's tests one at a time, so the variable is not seen by others.
    [Fact]
    public async Task Plan_appends_the_summary_to_the_GitHub_step_summary()
    {
        var stepSummary = System.IO.Path.Combine(_root, "step-summary.md");
        Environment.SetEnvironmentVariable("GITHUB_STEP_SUMMARY", stepSummary);
        try
        {
            var planned = await Runner().PlanAsync(DevApi);

            Assert.Contains(File.ReadAllText(planned.SummaryFile).TrimEnd(), File.ReadAllText(stepSummary));
        }
        finally
        {
            Environment.SetEnvironmentVariable("GITHUB_STEP_SUMMARY", null);
        }
    }

    [Fact]
    public async Task Apply_applies_exactly_the_saved_plan_and_returns_typed_outputs()
    {
        var runner = Runner();
        var planned = await runner.PlanAsync(DevApi);
        var before = _terraform.Calls().Count;

        var outputs = await runner.ApplyAsync(DevApi);

        var calls = _terraform.Calls().Skip(before).Select(c => c.Args.ToArray()).ToArray();
        Assert.Equal(
            [
                ["init", "-input=false", "-no-color", "-reconfigure", "-backend-config=bucket=depoxy-terraform-state",
                    "-backend-config=key=dev/api/terraform.tfstate", "-backend-config=region=eu-west-1", "-backend-config=use_lockfile=true"],
                ["state", "pull"],
                ["apply", "-input=false", "-no-color", "-lock-timeout=1m", planned.PlanFile],
                ["apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color", "-lock-timeout=1m",
                    "-var=lambda-function-version=1.4.0", "-var=lambda-function-s3-bucket-name=depoxy-artifacts-dev",
                    $"-var=lambda-function-source-code-hash={ApiHash}"],
                ["output", "-json"],
            ],
            calls);
        Assert.Equal(
            new ApiStackOutputs("depoxy-dev-api-function", "live", "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com", "E2QWRUHAPOMQZL", "https://d111111abcdef8.cloudfront.net"),
            outputs.Api());
        Assert.Equal(outputs.Values, StackOutputs.Read(DevApi, _settings.OutputsFile(DevApi)).Values);
    }

    [Fact]
    public async Task An_apply_that_puts_drift_back_hands_it_once_to_the_release_ledger()
    {
        _terraform.Replay("show", Fixtures.Read("show", "www-drift.json"));
        var runner = Runner();
        await runner.PlanAsync(DevApi);

        await runner.ApplyAsync(DevApi);

        Assert.Equal(["dev/api: module.s3-site.aws_s3_bucket_versioning.site: versioning_configuration[0].status: \"Enabled\" → \"Suspended\""],
            runner.TakeCorrectedDrift("dev"));
        Assert.Empty(runner.TakeCorrectedDrift("dev"));
    }

    [Fact]
    public async Task A_deploy_of_one_stack_takes_the_other_stacks_outputs_from_their_state()
    {
        var runner = Runner();
        await runner.PlanAsync(DevApi);
        await runner.ApplyAsync(DevApi);
        // What www's and app's states answer (the stand-in answers every stack alike).
        _terraform.Replay("output", """
            {
              "bucket_name": { "sensitive": false, "type": "string", "value": "depoxy-dev-site" },
              "distribution_id": { "sensitive": false, "type": "string", "value": "E3SITEDISTRIB" },
              "public_url": { "sensitive": false, "type": "string", "value": "https://site.dev.depoxy.dev" }
            }
            """);
        var before = _terraform.Calls().Count;

        var outputs = await runner.StageOutputsAsync("dev");

        Assert.Equal(["api", "www", "app"], outputs.Select(o => o.Stack));
        Assert.Equal("depoxy-dev-api-function", outputs[0].Api().FunctionName);
        Assert.All(outputs.Skip(1), site => Assert.Equal(new SiteStackOutputs("depoxy-dev-site", "E3SITEDISTRIB", "https://site.dev.depoxy.dev"), site.Site()));
        var outputCalls = _terraform.Calls().Skip(before).Where(c => c.Args[0] == "output").Select(c => c.Cwd).ToArray();
        Assert.Equal([WorkDirectory("dev", "www"), WorkDirectory("dev", "app")], outputCalls);
    }

    [Fact]
    public async Task Apply_refuses_a_plan_file_changed_after_planning()
    {
        var planned = await Runner().PlanAsync(DevApi);
        File.AppendAllText(planned.PlanFile, "tampered");
        var before = _terraform.Calls().Count;

        var e = await Assert.ThrowsAsync<TerraformException>(() => Runner().ApplyAsync(DevApi));

        Assert.Contains("sha256", e.Message);
        Assert.Equal(before, _terraform.Calls().Count);
    }

    [Fact]
    public async Task Apply_refuses_a_plan_made_at_another_commit()
    {
        await Runner(_settings with { Commit = "fedcba9876543210fedcba9876543210fedcba98" }).PlanAsync(DevApi);
        var before = _terraform.Calls().Count;

        var e = await Assert.ThrowsAsync<TerraformException>(() => Runner().ApplyAsync(DevApi));

        Assert.Contains("planned at commit fedcba9876543210fedcba9876543210fedcba98", e.Message);
        Assert.Equal(before, _terraform.Calls().Count);
    }

    [Fact]
    public async Task Apply_refuses_a_plan_sealed_for_another_stack()
    {
        var planned = await Runner().PlanAsync(DevApi);
        var prodApi = new TerraformStack("prod", "api");
        File.Copy(planned.PlanFile, _settings.PlanFile(prodApi));
        File.Copy(_settings.SealFile(DevApi), _settings.SealFile(prodApi));

        var e = await Assert.ThrowsAsync<TerraformException>(() => Runner().ApplyAsync(prodApi));

        Assert.Contains("planned for dev/api, not prod/api", e.Message);
    }

    [Fact]
    public async Task Apply_without_a_plan_names_the_Plan_target()
    {
        var e = await Assert.ThrowsAsync<TerraformException>(() => Runner().ApplyAsync(DevApi));

        Assert.Contains("run the Plan target", e.Message);
        Assert.Empty(_terraform.Calls());
    }

    [Fact]
    public async Task A_failing_plan_surfaces_terraforms_stderr_and_exit_code_and_leaves_no_seal()
    {
        _terraform.Replay("plan", stderr: "Error: No valid credential sources found\n  with provider[\"registry.terraform.io/hashicorp/aws\"]", exitCode: 3);

        var e = await Assert.ThrowsAsync<TerraformException>(() => Runner().PlanAsync(DevApi));

        Assert.Equal(3, e.ExitCode);
        Assert.Contains("Error: No valid credential sources found", e.Message);
        Assert.Contains("exited with code 3", e.Message);
        Assert.False(File.Exists(_settings.SealFile(DevApi)));
        Assert.DoesNotContain(_terraform.Calls(), c => c.Args[0] == "show");
    }

    [Fact]
    public async Task Apply_fails_when_the_stack_lacks_an_output_the_deploy_flow_reads()
    {
        _terraform.Replay("output", """{"function_name":{"sensitive":false,"type":"string","value":"f"}}""");
        var runner = Runner();
        await runner.PlanAsync(DevApi);

        var e = await Assert.ThrowsAsync<TerraformException>(() => runner.ApplyAsync(DevApi));

        Assert.Contains("alias_name, api_endpoint, distribution_id, public_url", e.Message);
    }

    [Fact]
    public async Task Terraform_older_than_1_11_is_refused_before_any_other_call()
    {
        _terraform.Replay("version", """{"terraform_version":"1.5.7","platform":"linux_amd64"}""");

        var e = await Assert.ThrowsAsync<TerraformException>(() => Runner().PlanAsync(DevApi));

        Assert.Contains("terraform 1.5.7", e.Message);
        Assert.Contains("≥ 1.11", e.Message);
        Assert.Single(_terraform.Calls());
    }

    [Fact]
    public async Task A_missing_stack_folder_is_one_clear_error()
    {
        Directory.Delete(System.IO.Path.Combine(_root, "tf", "dev", "app"));

        var e = await Assert.ThrowsAsync<TerraformException>(() => Runner().PlanAsync(new TerraformStack("dev", "app")));

        Assert.Contains("does not exist", e.Message);
    }

    public void Dispose()
    {
        _terraform.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
