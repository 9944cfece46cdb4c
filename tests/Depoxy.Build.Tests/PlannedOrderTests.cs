using Depoxy.Build.Engine;

namespace Depoxy.Build.Tests;

/// <summary>
/// The order the real build plans its flows in, asked of the engine's planner without running anything: the checks
/// that can refuse come before the first write.
/// </summary>
public sealed class PlannedOrderTests
{
    // Plan takes terraform's state lock; the others upload, copy or apply.
    private static readonly string[] Writers = ["PublishModules", "Publish", "CopyRelease", "Plan", "Apply"];

    private static List<string> PlanOf(string invoked)
    {
        var targets = Planner.Discover(new global::Build());
        return Planner.Plan(targets, [targets.Single(t => t.Name == invoked)]).Select(t => t.Name).ToList();
    }

    [Theory]
    [InlineData("Deploy")]
    [InlineData("ApplyDeploy")]
    public void A_deploy_publishes_the_modules_and_so_refuses_an_unbumped_module_before_any_object_of_the_release_is_uploaded(string flow)
    {
        var plan = PlanOf(flow);

        Assert.True(plan.Contains("PublishModules") && plan.Contains("Publish"), string.Join(" → ", plan));
        Assert.True(plan.IndexOf("PublishModules") < plan.IndexOf("Publish"), $"{flow} plans Publish before PublishModules: {string.Join(" → ", plan)}");
    }

    [Theory]
    [InlineData("Deploy")]
    [InlineData("ApplyDeploy")]
    [InlineData("Promote")]
    [InlineData("ApplyPromote")]
    [InlineData("Rollback")]
    public void Every_flow_that_writes_to_a_stage_takes_the_guard_before_its_first_write_and_unlocks_last_and_neither_can_be_skipped(string flow)
    {
        var targets = Planner.Discover(new global::Build());
        var plan = PlanOf(flow);
        var shown = string.Join(" → ", plan);

        Assert.False(targets.Single(t => t.Name == "Guard").Skippable, "Guard can be skipped");
        Assert.False(targets.Single(t => t.Name == "Unlock").Skippable, "Unlock can be skipped");
        Assert.Equal("Unlock", plan[^1]);
        foreach (var writer in Writers.Append(flow).Where(plan.Contains))
            Assert.True(plan.IndexOf("Guard") < plan.IndexOf(writer), $"{flow} plans {writer} before Guard: {shown}");
    }

    [Fact]
    public void Help_lists_the_safety_targets_and_BreakLock_with_what_they_do()
    {
        var help = HelpText.Render(Planner.Discover(new global::Build()), BuildParameter.Discover(typeof(global::Build)));

        Assert.Matches(@"(?m)^\s*Guard\s+Refuses credentials of another AWS account", help);
        Assert.Matches(@"(?m)^\s*Unlock\s+Releases the stage lock Guard took", help);
        Assert.Matches(@"(?m)^\s*BreakLock\s+Breaks the stage lock of a dead run", help);
    }
}
