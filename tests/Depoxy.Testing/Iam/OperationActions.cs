namespace Depoxy.Testing.Iam;

/// <summary>
/// Which IAM actions an API operation needs, on which resource. Operations whose action has their own name need no
/// entry; the table holds the exceptions, each with the reason.
/// </summary>
public static class OperationActions
{
    private delegate IEnumerable<Authorization> Rule(PipelineCall call);

    private static readonly Dictionary<(string Service, string Operation), Rule> Exceptions = new()
    {
        // S3 answers 404 for a missing key only to a caller with s3:ListBucket (403 otherwise), and the pipeline and
        // Terraform read 404 as "absent" (a new version, the first state of a stack).
        [("s3", "GetObject")] = call => [Same(call, "s3:GetObject"), OnBucket(call, "s3:ListBucket")],
        [("s3", "HeadObject")] = call => [Same(call, "s3:GetObject"), OnBucket(call, "s3:ListBucket")],
        [("s3", "ListObjectsV2")] = call => [Same(call, "s3:ListBucket")],
        [("s3", "HeadBucket")] = call => [Same(call, "s3:ListBucket")],
        [("s3", "DeleteObjects")] = call => [Same(call, "s3:DeleteObject")],
        // Promote downloads and re-uploads, so it works across accounts; kept for a flow that copies.
        [("s3", "CopyObject")] = call => [With(call, "s3:GetObject", call.Context["x-amz-copy-source"]), Same(call, "s3:PutObject")],
        [("s3", "GetBucketCors")] = call => [Same(call, "s3:GetBucketCORS")],
        [("s3", "GetBucketAccelerateConfiguration")] = call => [Same(call, "s3:GetAccelerateConfiguration")],
        [("s3", "GetBucketLifecycleConfiguration")] = call => [Same(call, "s3:GetLifecycleConfiguration")],
        [("s3", "PutBucketLifecycleConfiguration")] = call => [Same(call, "s3:PutLifecycleConfiguration")],
        [("s3", "GetBucketReplication")] = call => [Same(call, "s3:GetReplicationConfiguration")],
        [("s3", "GetBucketEncryption")] = call => [Same(call, "s3:GetEncryptionConfiguration")],
        [("s3", "PutBucketEncryption")] = call => [Same(call, "s3:PutEncryptionConfiguration")],
        [("s3", "GetObjectLockConfiguration")] = call => [Same(call, "s3:GetBucketObjectLockConfiguration")],
        [("s3", "GetPublicAccessBlock")] = call => [Same(call, "s3:GetBucketPublicAccessBlock")],
        [("s3", "PutPublicAccessBlock")] = call => [Same(call, "s3:PutBucketPublicAccessBlock")],
        // Needs no permission: STS answers it for any valid credentials.
        [("sts", "GetCallerIdentity")] = _ => [],
        // Operations IAM scopes to no resource: "*", whatever the call names.
        [("cloudfront", "CreateFunction")] = call => [With(call, "cloudfront:CreateFunction", "*")],
        [("cloudfront", "CreateOriginAccessControl")] = call => [With(call, "cloudfront:CreateOriginAccessControl", "*")],
        // CreateDistributionWithTags is authorised as CreateDistribution (no resource-level scope) plus TagResource.
        [("cloudfront", "CreateDistributionWithTags")] = call => [With(call, "cloudfront:CreateDistribution", "*"), Same(call, "cloudfront:TagResource")],
        // API Gateway v2 is authorised by HTTP verb on the resource path.
        [("apigateway", "CreateApi")] = call => [Same(call, "apigateway:POST")],
        [("apigateway", "CreateIntegration")] = call => [Same(call, "apigateway:POST")],
        [("apigateway", "CreateRoute")] = call => [Same(call, "apigateway:POST")],
        [("apigateway", "CreateStage")] = call => [Same(call, "apigateway:POST")],
        [("apigateway", "GetApi")] = call => [Same(call, "apigateway:GET")],
        [("apigateway", "GetIntegration")] = call => [Same(call, "apigateway:GET")],
        [("apigateway", "GetRoute")] = call => [Same(call, "apigateway:GET")],
        [("apigateway", "GetStage")] = call => [Same(call, "apigateway:GET")],
    };

    public static IReadOnlyList<Authorization> For(PipelineCall call) =>
        Exceptions.TryGetValue((call.Service, call.Operation), out var rule)
            ? rule(call).ToList()
            : [Same(call, $"{call.Service}:{call.Operation}")];

    private static Authorization Same(PipelineCall call, string action) => new(action, call.Resource, call.Context);

    private static Authorization With(PipelineCall call, string action, string resource) => new(action, resource, call.Context);

    /// <summary>arn:aws:s3:::bucket/key → arn:aws:s3:::bucket, with no prefix in the context.</summary>
    private static Authorization OnBucket(PipelineCall call, string action)
    {
        var bucket = call.Resource.Split('/')[0];
        return new Authorization(action, bucket, call.Context.Where(c => !c.Key.StartsWith("s3:if-", StringComparison.Ordinal)).ToDictionary());
    }
}
