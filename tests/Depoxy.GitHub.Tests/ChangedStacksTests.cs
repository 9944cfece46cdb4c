using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Depoxy.Testing;

namespace Depoxy.GitHub.Tests;

/// <summary>The pull-request workflow's mapping from changed paths to the stacks it plans.</summary>
public sealed class ChangedStacksTests
{
    private static async Task<List<string>> PlannedAsync(params string[] changedPaths)
    {
        var result = await Cli.Wrap("bash")
            .WithArguments([RepositoryRoot.Combine(".github", "scripts", "changed-stacks.sh")])
            .WithStandardInputPipe(PipeSource.FromString(string.Join('\n', changedPaths) + "\n"))
            .ExecuteBufferedAsync();
        using var matrix = JsonDocument.Parse(result.StandardOutput);
        return [.. matrix.RootElement.GetProperty("include").EnumerateArray()
            .Select(e => $"{e.GetProperty("stage").GetString()}/{e.GetProperty("stack").GetString()}")];
    }

    [Fact]
    public async Task A_stack_folder_change_plans_that_stack_only()
    {
        Assert.Equal(["dev/api", "prod/www"], await PlannedAsync("tf/dev/api/main.tf", "tf/prod/www/modules.tf", "tf/dev/api/variables.tf"));
    }

    [Fact]
    public async Task A_module_change_plans_every_stack_of_every_stage()
    {
        Assert.Equal(["dev/api", "dev/www", "dev/app", "prod/api", "prod/www", "prod/app"], await PlannedAsync("README.md", "modules/lambda/main.tf"));
    }

    [Fact]
    public async Task Other_changes_plan_nothing()
    {
        Assert.Empty(await PlannedAsync("README.md", "tf/ci/main.tf", "tf/dev/backend.hcl", "tf/staging/api/main.tf", "api/src/handler.cs"));
    }
}
