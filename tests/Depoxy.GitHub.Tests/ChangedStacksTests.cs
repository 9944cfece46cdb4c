using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Depoxy.Testing;

namespace Depoxy.GitHub.Tests;

/// <summary>The pull-request workflow's mapping from changed paths to the stacks it plans and whether it plans tf/ci.</summary>
public sealed class ChangedStacksTests
{
    private static readonly string[] EveryStack = ["dev/api", "dev/www", "dev/app", "prod/api", "prod/www", "prod/app"];

    /// <summary>The script's $GITHUB_OUTPUT lines, read back as the workflow's <c>fromJSON</c> and <c>== 'true'</c> do.</summary>
    private static Task<(List<string> Stacks, bool Ci)> PlannedAsync(params string[] changedPaths) => PlannedInAsync(null, changedPaths);

    /// <param name="root">The tree whose HCL says which stacks use which module; the repository's own when null.</param>
    private static async Task<(List<string> Stacks, bool Ci)> PlannedInAsync(string? root, params string[] changedPaths)
    {
        var result = await Cli.Wrap("bash")
            .WithArguments([RepositoryRoot.Combine(".github", "scripts", "changed-stacks.sh"), .. root is null ? Array.Empty<string>() : [root]])
            .WithStandardInputPipe(PipeSource.FromString(string.Join('\n', changedPaths) + "\n"))
            .ExecuteBufferedAsync();
        var outputs = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);
        Assert.Equal(["ci", "matrix"], outputs.Keys.Order());
        using var matrix = JsonDocument.Parse(outputs["matrix"]);
        List<string> stacks = [.. matrix.RootElement.GetProperty("include").EnumerateArray()
            .Select(e => $"{e.GetProperty("stage").GetString()}/{e.GetProperty("stack").GetString()}")];
        return (stacks, outputs["ci"] switch { "true" => true, "false" => false, var other => throw new FormatException($"ci={other}") });
    }

    [Fact]
    public async Task A_stack_folder_change_plans_that_stack_only()
    {
        var (stacks, ci) = await PlannedAsync("tf/dev/api/main.tf", "tf/prod/www/modules.tf", "tf/dev/api/variables.tf");

        Assert.Equal(["dev/api", "prod/www"], stacks);
        Assert.False(ci);
    }

    /// <summary>
    /// A tree of stacks as the repository lays them out: tf/ci uses the oidc module by a relative path and a module of
    /// its own folder named like a shared one; every stage's www uses the published site module; api uses the
    /// published lambda module, which in turn uses the role module by a relative path.
    /// </summary>
    private static string StacksTree()
    {
        var root = Directory.CreateTempSubdirectory("changed-stacks-").FullName;
        void Write(string path, string hcl)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, path))!);
            File.WriteAllText(Path.Combine(root, path), hcl);
        }
        const string Provider = """terraform { required_providers { aws = { source = "hashicorp/aws" } } }""";
        Write("tf/ci/main.tf", """
            module "role" {
              source = "../../modules/oidc"
            }
            module "own" {
              source = "./modules/site"
            }
            """);
        Write("tf/ci/versions.tf", Provider);
        Write("tf/ci/modules/site/main.tf", "");
        foreach (var stage in new[] { "dev", "prod" })
        {
            Write($"tf/{stage}/www/main.tf", """
                module "site" {
                  source          = "s3::https://s3-eu-west-1.amazonaws.com/bucket-modules/modules/site/0.2.0/site.zip"
                  bucket_prefix   = "www"
                }
                """);
            Write($"tf/{stage}/api/main.tf", """
                module "lambda" {
                  source = "s3::https://s3-eu-west-1.amazonaws.com/bucket-modules/modules/lambda/0.1.0/lambda.zip"
                }
                """);
            Write($"tf/{stage}/api/versions.tf", Provider);
        }
        Write("modules/lambda/main.tf", """
            module "role" {
              source = "../role"
            }
            """);
        foreach (var module in new[] { "oidc", "site", "role", "unused" }) Write($"modules/{module}/main.tf", "");
        return root;
    }

    [Fact]
    public async Task A_change_to_a_module_only_tf_ci_uses_plans_tf_ci_and_no_stage_stack()
    {
        var (stacks, ci) = await PlannedInAsync(StacksTree(), "modules/oidc/main.tf");

        Assert.Empty(stacks);
        Assert.True(ci);
    }

    [Fact]
    public async Task A_change_to_a_module_every_stage_uses_plans_exactly_the_stacks_that_use_it()
    {
        var (stacks, ci) = await PlannedInAsync(StacksTree(), "README.md", "modules/site/variables.tf", "modules/site/README.md");

        Assert.Equal(["dev/www", "prod/www"], stacks);
        Assert.False(ci);
    }

    [Fact]
    public async Task A_change_to_a_module_used_through_another_module_plans_the_stacks_that_use_that_one()
    {
        var (stacks, ci) = await PlannedInAsync(StacksTree(), "modules/role/main.tf");

        Assert.Equal(["dev/api", "prod/api"], stacks);
        Assert.False(ci);
    }

    [Fact]
    public async Task A_change_to_a_module_no_stack_uses_plans_nothing()
    {
        var (stacks, ci) = await PlannedInAsync(StacksTree(), "modules/unused/main.tf");

        Assert.Empty(stacks);
        Assert.False(ci);
    }

    [Fact]
    public async Task The_repositorys_own_modules_plan_the_stacks_its_HCL_says_use_them()
    {
        var oidc = await PlannedAsync("modules/github-oidc-role/main.tf");
        var lambda = await PlannedAsync("modules/lambda/main.tf");

        Assert.Empty(oidc.Stacks);
        Assert.True(oidc.Ci);
        Assert.Equal(["dev/api", "prod/api"], lambda.Stacks);
        Assert.False(lambda.Ci);
    }

    [Fact]
    public async Task A_tf_ci_change_plans_tf_ci_only()
    {
        var (stacks, ci) = await PlannedAsync("tf/ci/iam.tf", "tf/ci/modules/role/main.tf");

        Assert.Empty(stacks);
        Assert.True(ci);
    }

    [Theory]
    [InlineData("build/Build.Terraform.cs")]
    [InlineData("build/Tooling/Pipeline.cs")]
    [InlineData("src/Depoxy.Terraform/TerraformArguments.cs")]
    [InlineData(".nuke/parameters.json")]
    [InlineData(".nuke/parameters.prod.json")]
    public async Task A_change_to_how_plans_are_made_plans_everything(string path)
    {
        var (stacks, ci) = await PlannedAsync("README.md", path);

        Assert.Equal(EveryStack, stacks);
        Assert.True(ci);
    }

    [Fact]
    public async Task Other_changes_plan_nothing()
    {
        var (stacks, ci) = await PlannedAsync(
            "README.md", "tf/dev/backend.hcl", "tf/staging/api/main.tf", "api/src/handler.cs", "src/Depoxy.Terraform.Tests/x.cs",
            ".nuke/build.schema.json", "tests/Depoxy.Terraform.Tests/Fixtures/broken/tf/dev/api/main.tf");

        Assert.Empty(stacks);
        Assert.False(ci);
    }

    [Fact]
    public async Task No_changes_plan_nothing()
    {
        var (stacks, ci) = await PlannedAsync();

        Assert.Empty(stacks);
        Assert.False(ci);
    }
}
