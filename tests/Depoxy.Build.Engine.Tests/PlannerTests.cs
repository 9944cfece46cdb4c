using Depoxy.Build.Engine;

namespace Depoxy.Build.Engine.Tests;

[Collection("engine")]
public sealed class PlannerTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void Default_target_runs_with_its_dependencies_in_order()
    {
        var build = new SampleBuild();
        Assert.Equal(0, _harness.Run(build));
        Assert.Equal(["Restore", "Compile"], build.Ran);
    }

    [Fact]
    public void Before_orders_clean_ahead_of_restore_even_when_named_last()
    {
        var build = new SampleBuild();
        Assert.Equal(0, _harness.Run(build, "Test", "Clean"));
        Assert.Equal(["Clean", "Restore", "Compile", "Test"], build.Ran);
    }

    [Fact]
    public void Plan_prints_the_order_and_why_each_target_is_in_it_without_running()
    {
        var build = new SampleBuild();
        Assert.Equal(0, _harness.Run(build, "--plan", "Test"));
        Assert.Empty(build.Ran);
        Assert.Contains("Restore → Compile → Test", _harness.Output);
        Assert.Contains("dependency of Compile", _harness.Output);
        Assert.Contains("invoked", _harness.Output);
    }

    [Fact]
    public void Triggers_and_DependentFor_add_targets_to_the_plan()
    {
        var build = new SampleBuild { Stage = "dev", Count = 2 };
        Assert.Equal(0, _harness.Run(build, "Deploy", "--stage", "dev", "--count", "2"));
        Assert.Equal(["Restore", "Compile", "Docs", "Package", "Deploy", "Notify"], build.Ran);
    }

    [Fact]
    public void A_cycle_is_reported_naming_every_target_in_it()
    {
        Assert.Equal(1, _harness.Run(new CyclicBuild(), "A"));
        Assert.Contains("Circular dependencies between targets: ", _harness.Output);
        foreach (var name in new[] { "A", "B", "C" })
            Assert.Matches($@"Circular.*\b{name}\b", _harness.Output);
    }

    [Fact]
    public void Requires_is_checked_for_every_scheduled_target_before_any_runs()
    {
        var build = new SampleBuild();
        Assert.Equal(2, _harness.Run(build, "Deploy"));
        Assert.Empty(build.Ran);
        Assert.Contains("Target 'Deploy' requires --stage (or STAGE)", _harness.Output);
    }

    [Fact]
    public void Static_condition_false_skips_the_target_and_dependencies_only_it_needs()
    {
        var build = new SampleBuild { DeployAllowed = false };
        Assert.Equal(0, _harness.Run(build, "Deploy", "Test", "--stage", "dev"));
        Assert.Equal(["Restore", "Compile", "Test"], build.Ran);
        Assert.Matches(@"Deploy\s+Skipped\s+condition false", _harness.Output);
        Assert.Matches(@"Package\s+Skipped\s+only needed by skipped targets", _harness.Output);
    }

    [Fact]
    public void A_static_condition_can_name_its_reason_for_the_summary()
    {
        var build = new SampleBuild { Offline = true };
        Assert.Equal(0, _harness.Run(build, "Apply"));
        Assert.Empty(build.Ran);
        Assert.Matches(@"Apply\s+Skipped\s+no terraform in emulator mode", _harness.Output);
    }

    [Fact]
    public void Dynamic_condition_is_evaluated_when_the_target_is_reached()
    {
        var build = new SampleBuild();
        Assert.Equal(0, _harness.Run(build, "Package"));
        Assert.DoesNotContain("Docs", build.Ran);
        Assert.Matches(@"Docs\s+Skipped\s+condition false", _harness.Output);
    }

    [Fact]
    public void A_dynamic_condition_that_throws_fails_its_target_and_assured_targets_still_run()
    {
        var build = new SampleBuild();
        Assert.Equal(1, _harness.Run(build, "Probe", "Cleanup"));
        Assert.Equal(["Cleanup"], build.Ran);
        Assert.Matches(@"Probe\s+Failed\s+\d+:\d\d\s+cannot tell: the bucket is unreachable", _harness.Output);
        Assert.Matches(@"Cleanup\s+Succeeded", _harness.Output);
    }

    [Fact]
    public void Bare_skip_skips_everything_but_the_invoked_targets()
    {
        var build = new SampleBuild();
        Assert.Equal(0, _harness.Run(build, "Test", "--skip"));
        Assert.Equal(["Test"], build.Ran);
        Assert.Matches(@"Compile\s+Skipped\s+--skip", _harness.Output);
    }

    [Fact]
    public void Skip_with_names_skips_only_those()
    {
        var build = new SampleBuild();
        Assert.Equal(0, _harness.Run(build, "Test", "--skip", "Restore"));
        Assert.Equal(["Compile", "Test"], build.Ran);
    }

    [Fact]
    public void A_failure_stops_later_targets_except_assured_ones_and_the_summary_says_so()
    {
        var build = new SampleBuild { FailCompile = true };
        Assert.Equal(1, _harness.Run(build, "Test", "Report"));
        Assert.Equal(["Restore", "Compile", "Report"], build.Ran);
        Assert.Matches(@"Restore\s+Succeeded", _harness.Output);
        Assert.Matches(@"Compile\s+Failed\s+\d+:\d\d\s+compile broke", _harness.Output);
        Assert.Matches(@"Test\s+NotRun", _harness.Output);
        Assert.Matches(@"Report\s+Succeeded", _harness.Output);
        Assert.Contains("Build failed on", _harness.Output);
    }

    [Fact]
    public void ProceedAfterFailure_lets_independent_targets_run_after_it_fails()
    {
        var build = new SampleBuild();
        Assert.Equal(1, _harness.Run(build, "Lint", "Test"));
        Assert.Equal(["Lint", "Restore", "Compile", "Test"], build.Ran);
        Assert.Matches(@"Lint\s+Failed", _harness.Output);
    }

    [Fact]
    public void Unknown_target_is_an_error_naming_the_closest()
    {
        var build = new SampleBuild();
        Assert.Equal(2, _harness.Run(build, "Compil"));
        Assert.Contains("Unknown target 'Compil'. Did you mean 'Compile'?", _harness.Output);
        Assert.Equal(2, _harness.Run(build, "Nope"));
        Assert.Contains("Unknown target 'Nope'. The nearest is", _harness.Output);
        Assert.Empty(build.Ran);
    }

    [Fact]
    public void Help_lists_targets_with_direct_dependencies_and_parameters()
    {
        Assert.Equal(0, _harness.Run(new SampleBuild(), "--help"));
        Assert.Matches(@"Compile \(default\) -> Restore", _harness.Output);
        Assert.Matches(@"Deploy -> Package", _harness.Output);
        Assert.Matches(@"--stage\s+Stage to act on", _harness.Output);
        Assert.Matches(@"--flavor\s+An enum \[Plain, Spicy\]", _harness.Output);
        Assert.Contains("--token (secret)", _harness.Output);
    }
}
