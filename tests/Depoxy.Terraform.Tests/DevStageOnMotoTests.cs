using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Depoxy.Aws;
using Xunit.Abstractions;

namespace Depoxy.Terraform.Tests;

[Trait("Tier", "terraform")]
[Collection(DevStageCollection.Name)]
public sealed class DevStageOnMotoTests(DevStageOnMoto stage, ITestOutputHelper output)
{
    /// <summary>
    /// The emulator reads back what AWS would (README, "Stand-ins"), so a re-plan right after apply changes nothing and
    /// finds nothing drifted: any attribute it would change fails the test, named with its values.
    /// </summary>
    [Fact]
    public async Task Applied_stacks_replan_with_no_changes_and_no_drift()
    {
        output.WriteLine($"tf/ci bootstrap {stage.Account.BootstrapTime.TotalSeconds:0.0} s, first plan {stage.FirstPlan.TotalSeconds:0.0} s, first apply {stage.FirstApply.TotalSeconds:0.0} s (three stacks side by side)");
        Assert.Equal(["api", "www", "app"], stage.Applied.Select(o => o.Stack));

        var replanned = await stage.Runner.PlanAsync(DevStageOnMoto.Stacks);

        var changed = new List<string>();
        foreach (var plan in replanned)
        {
            var show = await stage.Account.Terraform.RunAsync(stage.Runner.Settings.StackWorkDirectory(plan.Stack), TerraformArguments.Show(plan.PlanFile), echoOutput: false);
            changed.AddRange(PlanAttributeChanges.From(show).Select(change => $"{plan.Stack}: {change}"));
        }
        foreach (var line in changed) output.WriteLine(line);
        Assert.True(changed.Count == 0, "a re-plan right after apply changes or finds drifted:\n" + string.Join("\n", changed));
        Assert.All(replanned, p => Assert.False(p.Summary.HasChanges, $"{p.Stack} has changes"));
    }

    [Fact]
    public async Task The_function_runs_what_the_HCL_declares()
    {
        var api = stage.Applied.Single(o => o.Stack == "api").Api();
        using var lambda = SignedHttpClient.Create(stage.Account.Moto.Aws, "lambda", stage.Account.Moto.Endpoint);

        var function = await lambda.GetFromJsonAsync<JsonObject>($"/2015-03-31/functions/{api.FunctionName}/configuration");

        Assert.Equal("provided.al2023", (string?)function!["Runtime"]);
        Assert.Equal("bootstrap", (string?)function["Handler"]);
        Assert.Equal("x86_64", (string?)function["Architectures"]![0]);
        Assert.Equal(await stage.Account.Account.WebAdapterLayerArnAsync(), (string?)function["Layers"]![0]!["Arn"]);
        var environment = function["Environment"]!["Variables"]!;
        Assert.Equal("/opt/bootstrap", (string?)environment["AWS_LAMBDA_EXEC_WRAPPER"]);
        Assert.Equal("dev", (string?)environment["DEPOXY_API_STAGE"]);
        Assert.Equal(DevStageOnMoto.Version, (string?)environment["DEPOXY_API_VERSION"]);
        Assert.Equal("depoxy-dev-data", (string?)environment["DEPOXY_API_S3_BUCKET"]);
        var alias = await lambda.GetFromJsonAsync<JsonObject>($"/2015-03-31/functions/{api.FunctionName}/aliases/{api.AliasName}");
        Assert.Equal("live", (string?)alias!["Name"]);
    }

    [Fact]
    public async Task Memory_changed_behind_Terraforms_back_is_reported_as_drift_in_the_plan_summary()
    {
        var api = stage.Applied.Single(o => o.Stack == "api").Api();
        using var lambda = SignedHttpClient.Create(stage.Account.Moto.Aws, "lambda", stage.Account.Moto.Endpoint);
        var apiStack = DevStageOnMoto.Stacks.Single(s => s.Name == "api");
        const string function = "module.lambda-function.aws_lambda_function.lambda-function";
        Assert.DoesNotContain((await stage.Runner.PlanAsync(apiStack)).Summary.Drift, d => d.Address == function);
        try
        {
            using (var changed = await lambda.PutAsJsonAsync($"/2015-03-31/functions/{api.FunctionName}/configuration", new JsonObject { ["MemorySize"] = 512 }))
                changed.EnsureSuccessStatusCode();

            var plan = await stage.Runner.PlanAsync(apiStack);

            Assert.Contains(new DriftedAttribute("memory_size", "1024", "512"), plan.Summary.Drift.Single(d => d.Address == function).Attributes);
            Assert.Contains("  - `memory_size`: `1024` → `512`", await File.ReadAllTextAsync(plan.SummaryFile));
            Assert.Contains(plan.Summary.Changes, c => c.Address == "module.lambda-function.aws_lambda_function.lambda-function" && c.Kind == ChangeKind.Update);
        }
        finally
        {
            using var restored = await lambda.PutAsJsonAsync($"/2015-03-31/functions/{api.FunctionName}/configuration", new JsonObject { ["MemorySize"] = 1024 });
            restored.EnsureSuccessStatusCode();
        }
    }
}
