using Depoxy.Build.Engine;

namespace Depoxy.Build.Engine.Tests;

[Collection("engine")]
public sealed class SafetyTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private int Run(GuardedBuild build, params string[] args) => new BuildRunner(_harness.Root, _harness.Environment).Run(build, args, "Deploy");

    [Fact]
    public void A_bare_skip_skips_every_other_dependency_but_never_the_safety_targets()
    {
        var build = new GuardedBuild();
        Assert.Equal(0, Run(build, "Deploy", "--skip"));
        Assert.Equal(["Guard", "Deploy", "Unlock"], build.Ran);
        Assert.Matches(@"Package\s+Skipped\s+--skip", _harness.Output);
        Assert.Matches(@"Guard\s+Succeeded", _harness.Output);
    }

    [Fact]
    public void Naming_a_safety_target_in_skip_is_refused_before_anything_runs()
    {
        var build = new GuardedBuild();
        Assert.Equal(BuildRunner.UsageExitCode, Run(build, "Deploy", "--skip", "Package", "Guard"));
        Assert.Empty(build.Ran);
        Assert.Contains("ERROR: --skip Guard: Guard is a safety target and is never skipped; drop it from --skip.", _harness.Output);
    }

    [Fact]
    public void Naming_another_target_in_skip_still_skips_it()
    {
        var build = new GuardedBuild();
        Assert.Equal(0, Run(build, "Deploy", "--skip", "Package"));
        Assert.Equal(["Guard", "Deploy", "Unlock"], build.Ran);
    }

    [Fact]
    public void A_secret_given_twice_is_refused_without_printing_it()
    {
        const string token = "ghp_S3cretValueNobodyMaySee";
        Assert.Equal(BuildRunner.UsageExitCode, Run(new GuardedBuild(), "Deploy", "--git-hub-token", token, "--git-hub-token", token));
        Assert.Contains("ERROR: --git-hub-token takes one value, got 2 (a secret: values not shown); give it once.", _harness.Output);
        Assert.DoesNotContain(token, _harness.Output);
    }

    [Fact]
    public void On_github_actions_a_secret_given_twice_is_only_registered_as_a_mask_before_the_error()
    {
        const string token = "ghp_S3cretValueNobodyMaySee";
        var previous = Environment.GetEnvironmentVariable("GITHUB_ACTIONS");
        var console = new StringWriter();
        var originalConsole = Console.Out;
        try
        {
            Environment.SetEnvironmentVariable("GITHUB_ACTIONS", "true");
            Console.SetOut(console);
            Assert.Equal(BuildRunner.UsageExitCode, Run(new GuardedBuild(), "Deploy", "--git-hub-token", token, "--git-hub-token", token));
        }
        finally
        {
            Console.SetOut(originalConsole);
            Environment.SetEnvironmentVariable("GITHUB_ACTIONS", previous);
        }
        Assert.Equal($"::add-mask::{token}", console.ToString().Trim());
        Assert.Contains("::error::--git-hub-token takes one value, got 2 (a secret: values not shown); give it once.", _harness.Output);
        Assert.DoesNotContain(token, _harness.Output);
    }

    [Fact]
    public void A_secret_pasted_as_a_target_is_masked_in_the_unknown_target_error()
    {
        const string token = "ghp_S3cretValueNobodyMaySee";
        // A secret pasted where a target belongs: the unknown-target message must not echo it either.
        Assert.Equal(BuildRunner.UsageExitCode, Run(new GuardedBuild(), token, "--git-hub-token", token));
        Assert.Contains("Unknown target '****'", _harness.Output);
        Assert.DoesNotContain(token, _harness.Output);
    }

    [Fact]
    public void Help_lists_listed_targets_with_their_descriptions_and_marks_the_safety_targets()
    {
        Assert.Equal(0, Run(new GuardedBuild(), "--help"));
        Assert.Matches(@"  Unlock\s+Releases the stage lock this run took \(never skipped\)", _harness.Output);
        Assert.Matches(@"  Deploy \(default\) -> Guard, Package\s+Ships the release\r?\n", _harness.Output);
        Assert.Matches(@"  Guard\s+\(never skipped\)", _harness.Output);
        Assert.DoesNotContain("Internal", _harness.Output);
    }
}
