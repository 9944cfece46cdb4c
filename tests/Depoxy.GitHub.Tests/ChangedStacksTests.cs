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
    private static async Task<(List<string> Stacks, bool Ci)> PlannedAsync(params string[] changedPaths)
    {
        var result = await Cli.Wrap("bash")
            .WithArguments([RepositoryRoot.Combine(".github", "scripts", "changed-stacks.sh")])
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

    [Fact]
    public async Task A_module_change_plans_every_stack_of_every_stage_but_not_tf_ci()
    {
        var (stacks, ci) = await PlannedAsync("README.md", "modules/lambda/main.tf");

        Assert.Equal(EveryStack, stacks);
        Assert.False(ci);
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
