using Depoxy.Build.Engine;
using Depoxy.Emulator;
using Depoxy.Testing;

namespace Depoxy.Build.Tests;

/// <summary>
/// The repository tf/ci's roles trust is named by whoever runs the plan, never guessed: planning it for a repository
/// of someone else's would hand them the CI roles.
/// </summary>
[Collection(nameof(CapturedLog))]
public sealed class CiRepositoryTests
{
    private static (int ExitCode, string Output, global::Build Build) Run(Dictionary<string, string> environment, params string[] args)
    {
        var build = new global::Build();
        var original = Log.Out;
        var output = new StringWriter();
        Log.Out = output;
        try
        {
            var exitCode = new BuildRunner(RepositoryRoot.Path, environment).Run(build, [.. args, "--no-logo"]);
            return (exitCode, output.ToString(), build);
        }
        finally
        {
            Log.Out = original;
        }
    }

    [Fact]
    public void PlanCi_without_a_repository_is_refused_before_any_target_runs_naming_the_parameter()
    {
        var (exitCode, output, _) = Run([], "PlanCi");

        Assert.Equal(BuildRunner.UsageExitCode, exitCode);
        Assert.Contains("Target 'PlanCi' requires --git-hub-repository", output);
        Assert.DoesNotContain("Succeeded", output);
        Assert.DoesNotContain(EmulatorAccount.GitHubRepository, output);
    }

    [Fact]
    public void On_GitHub_Actions_the_repository_is_the_runs_GITHUB_REPOSITORY()
    {
        var (exitCode, _, build) = Run(new() { ["GITHUB_REPOSITORY"] = "octo/depoxy" }, "PlanCi", "--plan");

        Assert.Equal(0, exitCode);
        Assert.Equal("octo/depoxy", build.GitHubRepository);
    }

    [Fact]
    public void The_command_line_names_the_repository_over_the_environment()
    {
        var (_, _, build) = Run(new() { ["GITHUB_REPOSITORY"] = "octo/depoxy" }, "PlanCi", "--git-hub-repository", "acme/site", "--plan");

        Assert.Equal("acme/site", build.GitHubRepository);
    }

    [Fact]
    public void Only_the_emulator_has_a_default_repository()
    {
        var (_, _, emulated) = Run([], "PlanCi", "--emulator", "--plan");
        var (_, _, real) = Run([], "PlanCi", "--plan");

        Assert.Equal(EmulatorAccount.GitHubRepository, emulated.GitHubRepository);
        Assert.Null(real.GitHubRepository);
    }
}

/// <summary>Tests that swap the static <see cref="Log.Out"/> run one at a time.</summary>
[CollectionDefinition(nameof(CapturedLog), DisableParallelization = true)]
public sealed class CapturedLog;
