namespace Depoxy.Terraform.Tests;

public sealed class PlanSummaryTests
{
    [Fact]
    public void Counts_create_update_delete_and_both_replace_orders_separately()
    {
        var summary = PlanSummary.Parse(Fixtures.Read("show", "api-mixed.json"));

        Assert.Equal((1, 1, 1, 2), (summary.Create, summary.Update, summary.Delete, summary.Replace));
        Assert.Equal("1.11.4", summary.TerraformVersion);
        Assert.True(summary.HasChanges);
        Assert.Contains(new ResourceChange("module.cloudfront-api.aws_cloudfront_distribution.api", ChangeKind.Create), summary.Changes);
        Assert.Contains(new ResourceChange("module.lambda-role.aws_iam_role_policy.lambda-role", ChangeKind.Replace), summary.Changes);
        Assert.Contains(new ResourceChange("aws_cloudwatch_log_group.legacy", ChangeKind.Delete), summary.Changes);
        Assert.Contains(new ResourceChange("data.aws_s3_object.lambda-function-hash", ChangeKind.Read), summary.Changes);
        Assert.DoesNotContain(summary.Changes, c => c.Address == "module.lambda-function.aws_lambda_alias.live");
    }

    [Fact]
    public void Notes_drift_but_not_unchanged_drift_entries()
    {
        var summary = PlanSummary.Parse(Fixtures.Read("show", "api-mixed.json"));

        Assert.Equal(["module.lambda-function.aws_lambda_alias.live (update)"], summary.Drift);
        Assert.Equal(["distribution_id (create)"], summary.OutputChanges);
    }

    [Fact]
    public void A_plan_with_only_no_ops_has_no_changes()
    {
        var summary = PlanSummary.Parse(Fixtures.Read("show", "www-no-changes.json"));

        Assert.Equal((0, 0, 0, 0), (summary.Create, summary.Update, summary.Delete, summary.Replace));
        Assert.Empty(summary.Drift);
        Assert.False(summary.HasChanges);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"format_version":"2.0","resource_changes":[]}""")]
    public void Output_that_is_not_a_1_x_plan_is_refused_with_one_line(string json)
    {
        var e = Assert.Throws<TerraformException>(() => PlanSummary.Parse(json));

        Assert.DoesNotContain('\n', e.Message);
    }
}
