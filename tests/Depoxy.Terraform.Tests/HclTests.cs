using System.Text.Json;
using Depoxy.Testing;

namespace Depoxy.Terraform.Tests;

/// <summary>Parses the repository's modules/ and tf/ once for all HCL tests.</summary>
public sealed class RepositoryHcl : IAsyncLifetime
{
    public IReadOnlyDictionary<string, JsonElement> Files { get; private set; } = new Dictionary<string, JsonElement>();

    public async Task InitializeAsync() => Files = await Hcl.ParseAsync(RepositoryRoot.Path, "modules", "tf");

    public Task DisposeAsync() => Task.CompletedTask;
}

public sealed class HclTests(RepositoryHcl hcl) : IClassFixture<RepositoryHcl>
{
    private static readonly string[] Stacks = ["tf/ci", "tf/dev/api", "tf/dev/www", "tf/dev/app", "tf/prod/api", "tf/prod/www", "tf/prod/app"];
    private static readonly string[] Modules = ["lambda", "lambda-role", "api-gateway", "cloudfront-api", "s3-site", "github-oidc-role"];

    [Fact]
    public void Every_tf_file_parses_with_hcl2json()
    {
        Assert.True(hcl.Files.Count >= Stacks.Length * 4 + Modules.Length * 4, $"only {hcl.Files.Count} .tf files found");
        Assert.Empty(hcl.Files.Where(f => Hcl.Error(f.Value) is not null).Select(f => $"{f.Key}: {Hcl.Error(f.Value)}"));
    }

    [Fact]
    public void Every_stack_and_module_of_the_layout_exists()
    {
        var folders = hcl.Files.Keys.Select(k => k[..k.LastIndexOf('/')]).ToHashSet();
        Assert.All(Stacks, s => Assert.Contains(s, folders));
        Assert.All(Modules, m => Assert.Contains($"modules/{m}", folders));
    }

    [Fact]
    public void The_modules_and_stacks_are_consistent()
    {
        Assert.Empty(HclConsistency.Check(RepositoryRoot.Path, hcl.Files));
    }

    [Fact]
    public async Task An_unparsable_file_is_reported_with_its_path()
    {
        var files = await Hcl.ParseAsync(Fixtures.Path(), "unparsable");

        var error = Hcl.Error(Assert.Single(files, f => f.Key == "unparsable/bad.tf").Value);
        Assert.NotNull(error);
    }

    [Fact]
    public async Task The_deliberately_broken_fixture_fails_every_check()
    {
        var root = Fixtures.Path("broken");
        var files = await Hcl.ParseAsync(root, "modules", "tf");

        var problems = HclConsistency.Check(root, files);

        string[] expected =
        [
            "tf/ci: no modules-bucket-name variable with a default, so module sources cannot be checked against it",
            "tf/dev/api/variables.tf: variable \"lambda-function-version\" has no type",
            "tf/dev/api/variables.tf: variable \"lambda-function-version\" has no description",
            "tf/dev/api/outputs.tf: var.stage is not declared in tf/dev/api",
            "tf/dev/api/main.tf: module \"lambda-function\" uses lambda 0.0.9 but modules/lambda/VERSION is 0.1.0",
            "tf/dev/api/main.tf: module \"lambda-function\" passes memory, which modules/lambda does not declare",
            "tf/dev/api/main.tf: module \"lambda-function\" does not pass function-name, which modules/lambda requires",
            "tf/dev/api/outputs.tf: module.lambda-function.alias-name is not an output of modules/lambda",
            "modules/lambda/README.md: does not list `memory-size`",
            "tf/dev/api: output api_endpoint (read by the build) is missing",
            "tf/dev/api: output distribution_id (read by the build) is missing",
            "tf/dev/api: output public_url (read by the build) is missing",
        ];
        var relevant = problems.Where(p => !p.StartsWith("tf/dev/www", StringComparison.Ordinal) && !p.StartsWith("tf/dev/app", StringComparison.Ordinal)
                                           && !p.StartsWith("tf/prod/", StringComparison.Ordinal) && !p.StartsWith("tf/ci: output", StringComparison.Ordinal));
        Assert.Equal(expected.Order(), relevant.Order());
        Assert.Contains("tf/ci: output plan_role_arn_dev (read by the build) is missing", problems);
    }

    [Fact]
    public void The_api_runs_the_released_package_on_a_custom_runtime_both_provider_majors_accept()
    {
        foreach (var stage in TerraformStack.Stages)
        {
            var main = hcl.Files[$"tf/{stage}/api/main.tf"];
            Assert.False(main.TryGetProperty("data", out var data) && data.TryGetProperty("aws_s3_object", out _), "the hash comes from the release's manifest, not from S3");
            var lambda = main.GetProperty("module").GetProperty("lambda-function")[0];
            Assert.Equal("${var.lambda-function-source-code-hash}", lambda.GetProperty("source-code-hash").GetString());
            Assert.Equal("api/${var.lambda-function-version}/api.zip", lambda.GetProperty("s3-key").GetString());
            Assert.Equal(("provided.al2023", "bootstrap", "x86_64"),
                (lambda.GetProperty("runtime").GetString(), lambda.GetProperty("handler").GetString(), lambda.GetProperty("architecture").GetString()));
            var environment = lambda.GetProperty("environment-variables").GetString()!;
            foreach (var setting in new[] { "AWS_LAMBDA_EXEC_WRAPPER\\s+= \"/opt/bootstrap\"", "AWS_LWA_PORT\\s+= \"8080\"", "AWS_LWA_READINESS_CHECK_PATH\\s+= \"/api/v1/health\"" })
                Assert.Matches(setting, environment);
            var locals = main.GetProperty("locals")[0].GetProperty("environment");
            Assert.Equal(stage, main.GetProperty("locals")[0].GetProperty("stage").GetString());
            Assert.Equal("${var.lambda-function-version}", locals.GetProperty("DEPOXY_API_VERSION").GetString());
            Assert.Equal("${local.stage}", locals.GetProperty("DEPOXY_API_STAGE").GetString());
            Assert.StartsWith($"{stage}/", locals.GetProperty("DEPOXY_API_JWT_SECRET_ID").GetString());
        }
    }

    [Fact]
    public void The_live_alias_ignores_function_version_and_stacks_have_an_empty_s3_backend()
    {
        var alias = hcl.Files["modules/lambda/main.tf"].GetProperty("resource").GetProperty("aws_lambda_alias").GetProperty("live")[0];
        Assert.Equal("live", alias.GetProperty("name").GetString());
        Assert.Equal("[\"${function_version}\"]", alias.GetProperty("lifecycle")[0].GetProperty("ignore_changes").GetRawText());

        foreach (var stack in Stacks)
        {
            var terraform = hcl.Files[$"{stack}/versions.tf"].GetProperty("terraform")[0];
            Assert.Empty(terraform.GetProperty("backend").GetProperty("s3")[0].EnumerateObject());
        }
    }

    [Fact]
    public void Oidc_trust_matches_aud_and_sub_as_single_values_never_ForAllValues()
    {
        var trust = hcl.Files["modules/github-oidc-role/main.tf"].GetProperty("data").GetProperty("aws_iam_policy_document").GetProperty("trust")[0];
        var conditions = trust.GetProperty("statement")[0].GetProperty("condition").EnumerateArray().ToList();
        Assert.Equal(2, conditions.Count);
        // sub is StringLike only for a pull request's merge ref (the variable's validation allows no other wildcard).
        Assert.All(conditions, c => Assert.Contains(c.GetProperty("test").GetString(), new[] { "StringEquals", "${local.subject-test}" }));
        Assert.Contains(conditions, c => c.GetProperty("variable").GetString()!.EndsWith(":aud") && c.GetProperty("test").GetString() == "StringEquals"
                                         && c.GetProperty("values").GetRawText() == "[\"sts.amazonaws.com\"]");
        Assert.Contains(conditions, c => c.GetProperty("variable").GetString()!.EndsWith(":sub") && c.GetProperty("values").GetRawText() == "[\"repo:${var.repository}:${var.subject}\"]");
    }
}
