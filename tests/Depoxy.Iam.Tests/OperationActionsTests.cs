using Depoxy.Testing.Iam;

namespace Depoxy.Iam.Tests;

public sealed class OperationActionsTests
{
    private static PipelineCall Call(string service, string operation, string resource, params (string Key, string Value)[] context) =>
        new("test", "github-depoxy-dev-apply", service, operation, resource, context.ToDictionary(c => c.Key, c => c.Value));

    [Fact]
    public void HeadObject_needs_GetObject_on_the_key_and_ListBucket_on_the_bucket_without_the_write_condition()
    {
        var authorizations = OperationActions.For(Call("s3", "HeadObject", "arn:aws:s3:::bucket/api/1/api.zip", ("s3:if-none-match", "*")));

        Assert.Equal([("s3:GetObject", "arn:aws:s3:::bucket/api/1/api.zip"), ("s3:ListBucket", "arn:aws:s3:::bucket")],
            authorizations.Select(a => (a.Action, a.Resource)));
        Assert.Empty(authorizations[1].Context);
    }

    [Fact]
    public void CopyObject_needs_GetObject_on_the_source_and_PutObject_on_the_target()
    {
        var authorizations = OperationActions.For(Call("s3", "CopyObject", "arn:aws:s3:::prod/api/1/api.zip", ("x-amz-copy-source", "arn:aws:s3:::dev/api/1/api.zip")));

        Assert.Equal([("s3:GetObject", "arn:aws:s3:::dev/api/1/api.zip"), ("s3:PutObject", "arn:aws:s3:::prod/api/1/api.zip")],
            authorizations.Select(a => (a.Action, a.Resource)));
    }

    [Fact]
    public void CreateDistributionWithTags_needs_CreateDistribution_on_everything_and_TagResource_on_the_distribution()
    {
        var authorizations = OperationActions.For(Call("cloudfront", "CreateDistributionWithTags", "arn:aws:cloudfront::123456789012:distribution/E1"));

        Assert.Equal([("cloudfront:CreateDistribution", "*"), ("cloudfront:TagResource", "arn:aws:cloudfront::123456789012:distribution/E1")],
            authorizations.Select(a => (a.Action, a.Resource)));
    }

    [Fact]
    public void GetCallerIdentity_needs_no_permission()
    {
        Assert.Empty(OperationActions.For(Call("sts", "GetCallerIdentity", "*")));
    }

    [Fact]
    public void An_operation_without_an_entry_needs_the_action_of_its_name()
    {
        var authorization = Assert.Single(OperationActions.For(Call("lambda", "UpdateAlias", "arn:aws:lambda:eu-west-1:123456789012:function:f:live")));

        Assert.Equal("lambda:UpdateAlias", authorization.Action);
    }
}
