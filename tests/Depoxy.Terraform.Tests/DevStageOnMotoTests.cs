using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Depoxy.Aws;
using Xunit.Abstractions;

namespace Depoxy.Terraform.Tests;

[Collection(DevStageCollection.Name)]
public sealed class DevStageOnMotoTests(DevStageOnMoto stage, ITestOutputHelper output)
{
    /// <summary>
    /// What moto answers differently from AWS, so that a re-plan right after apply shows a change that is not one.
    /// Each entry is a resource address and the moto gap behind it; any other change fails the test.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string> MotoGaps = new Dictionary<string, string>
    {
        ["module.lambda-function.aws_lambda_function.lambda-function"] = "Lambda GetFunction omits LoggingConfig",
        ["module.cloudfront-api.aws_cloudfront_distribution.api"] = "CloudFront GetDistribution returns ForwardedValues beside a cache policy and reports SSLSupportMethod sni-only for the default certificate",
        ["module.site.aws_cloudfront_distribution.site"] = "CloudFront GetDistribution drops OriginAccessControlId, returns ForwardedValues beside a cache policy and reports SSLSupportMethod sni-only",
        ["module.site.aws_s3_bucket_policy.site"] = "follows the distribution's gap: its policy document reads the distribution's ARN, so Terraform defers it while the distribution shows a change",
    };

    [Fact]
    public async Task Applied_stacks_replan_with_only_the_changes_moto_gaps_explain()
    {
        output.WriteLine($"tf/ci bootstrap {stage.Account.BootstrapTime.TotalSeconds:0.0} s, first plan {stage.FirstPlan.TotalSeconds:0.0} s, first apply {stage.FirstApply.TotalSeconds:0.0} s (three stacks side by side)");
        Assert.Equal(["api", "www", "app"], stage.Applied.Select(o => o.Stack));

        var replanned = await stage.Runner.PlanAsync(DevStageOnMoto.Stacks);

        var unexplained = replanned.SelectMany(p => p.Summary.Changes.Where(c => c.Kind != ChangeKind.Read).Select(c => $"{p.Stack}: {c.Kind} {c.Address}"))
            .Where(change => !MotoGaps.Keys.Any(address => change.EndsWith(" " + address, StringComparison.Ordinal)))
            .ToList();
        foreach (var plan in replanned) output.WriteLine($"{plan.Stack}: {string.Join(", ", plan.Summary.Changes.Select(c => $"{c.Kind} {c.Address}"))}");
        Assert.True(unexplained.Count == 0, "changes no named moto gap explains:\n" + string.Join("\n", unexplained));
        Assert.All(replanned, p => Assert.Equal(0, p.Summary.Create + p.Summary.Delete + p.Summary.Replace));
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
