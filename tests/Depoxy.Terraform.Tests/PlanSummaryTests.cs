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

        Assert.Equal(["module.lambda-function.aws_lambda_alias.live: function_version: \"6\" → \"7\""], summary.Drift.Select(d => d.ToString()));
        Assert.Equal(["distribution_id (create)"], summary.OutputChanges);
    }

    [Fact]
    public void Drift_names_each_attribute_with_old_and_new_values_and_leaves_out_read_back_noise()
    {
        var summary = PlanSummary.Parse(Fixtures.Read("show", "www-drift.json"));

        Assert.Equal(
        [
            "module.s3-site.aws_cloudfront_distribution.site: default_cache_behavior[0].min_ttl: 0 → 60; tags.Owner: null → \"someone\"",
            "module.s3-site.aws_s3_bucket_policy.site: deleted outside Terraform",
            "module.s3-site.aws_s3_bucket_versioning.site: versioning_configuration[0].status: \"Enabled\" → \"Suspended\"",
            "module.s3-site.aws_secretsmanager_secret_version.key: secret_string: (sensitive) → (sensitive)",
        ], summary.Drift.Select(d => d.ToString()));
        Assert.Equal(["module.s3-site.aws_s3_bucket_versioning.site"], summary.CorrectedDrift.Select(d => d.Address));
    }

    [Fact]
    public void The_markdown_summary_lists_each_drifted_attribute()
    {
        var summary = PlanSummary.Parse(Fixtures.Read("show", "www-drift.json"));

        var markdown = PlanMarkdown.Render(new TerraformStack("dev", "www"), summary, new PlanSeal("dev", "www", "abc", "c0ffee", "1.0.0"));

        Assert.Contains("**Drift:** 4 resource(s) changed outside Terraform since the last apply:", markdown);
        Assert.Contains("  - `versioning_configuration[0].status`: `\"Enabled\"` → `\"Suspended\"`", markdown);
        Assert.Contains("- `module.s3-site.aws_s3_bucket_policy.site`: deleted outside Terraform", markdown);
        Assert.DoesNotContain("origin_access_control", markdown);
        Assert.DoesNotContain("secret-value", markdown);
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
