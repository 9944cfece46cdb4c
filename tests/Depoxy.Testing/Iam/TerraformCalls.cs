using System.Text.Json;
using Depoxy.Testing;

namespace Depoxy.Testing.Iam;

/// <summary>
/// The calls Terraform makes in each flow, by the role that runs the step: the S3 backend and the AWS provider's reads
/// and writes for each resource type of tf/ (read from the provider's resource code and its docs). Terraform's calls
/// cannot be recorded by the build's own clients, which record everything else the flows do (see
/// Depoxy.Pipeline.Tests' OfflineCommandLineTests). STS GetCallerIdentity is left out: it needs no permission.
/// </summary>
public static class TerraformCalls
{
    public const string Region = "eu-west-1";
    public const string Version = "20260101.120000-gabc1234";
    public static readonly string[] Stacks = ["api", "www", "app"];
    public static readonly string[] Modules = Directory.GetDirectories(RepositoryRoot.Combine("modules")).Select(Path.GetFileName).OfType<string>().Order().ToArray();
    private const string Account = PolicySimulator.AccountId;
    private const string LayerArn = "arn:aws:lambda:eu-west-1:753240598075:layer:LambdaAdapterLayerArm64:25";

    public static string ApplyRole(string stage) => $"github-depoxy-{stage}-apply";
    public static string PlanRole(string stage) => $"github-depoxy-{stage}-plan";
    public static string DriftRole(string stage) => $"github-depoxy-{stage}-drift";

    /// <summary>In order: Deploy dev, Deploy dev again, Promote dev → prod, again (Rollback runs no Terraform), then the read-only plans.</summary>
    public static IReadOnlyList<PipelineCall> All =>
    [
        .. Deploy("dev", firstRelease: true), .. Deploy("dev", firstRelease: false), .. Promote(firstRelease: true), .. Promote(firstRelease: false),
        .. PullRequestPlans(), .. MainBranchPlans(), .. CiPlan(),
    ];

    /// <summary>./build.sh Deploy --stage &lt;stage&gt; (apply role): each stack planned, then its saved plan applied, with the state lock.</summary>
    public static IReadOnlyList<PipelineCall> Deploy(string stage, bool firstRelease) =>
        PlanAndApply(firstRelease ? $"Deploy {stage}" : $"Deploy {stage} again", stage, firstRelease);

    /// <summary>./build.sh Promote --from dev --to prod, or promote-prod's apply job (prod's apply role): prod's first apply, or a later one.</summary>
    public static IReadOnlyList<PipelineCall> Promote(bool firstRelease) =>
        PlanAndApply(firstRelease ? "Promote dev → prod" : "Promote dev → prod again", "prod", firstRelease);

    private static IReadOnlyList<PipelineCall> PlanAndApply(string name, string stage, bool firstRelease)
    {
        var flow = new Flow(name, ApplyRole(stage), stage);
        foreach (var stack in Stacks)
        {
            flow.Plan(stack, takesLock: true);
            flow.Apply(stack, firstRelease);
        }
        return flow.Calls;
    }

    /// <summary>Every stack of both stages, planned for a pull request under the plan role, with -lock=false.</summary>
    public static IReadOnlyList<PipelineCall> PullRequestPlans() =>
        new[] { "dev", "prod" }.SelectMany(stage => LocklessPlans($"Pull-request plan {stage}", PlanRole(stage), stage)).ToList();

    /// <summary>Jobs on main outside an environment: the weekly drift plans and the plan job of promote-prod.</summary>
    public static IReadOnlyList<PipelineCall> MainBranchPlans()
    {
        return [.. new[] { "dev", "prod" }.SelectMany(stage => LocklessPlans($"Drift plan {stage}", DriftRole(stage), stage)),
            .. LocklessPlans("Promote plan job (prod)", DriftRole("prod"), "prod")];
    }

    /// <summary>terraform plan -lock=false of tf/ci itself under dev's plan role: its state, IAM and buckets, read only.</summary>
    public static IReadOnlyList<PipelineCall> CiPlan()
    {
        var flow = new Flow("tf/ci plan", PlanRole("dev"), "dev");
        flow.S3("ListObjectsV2", flow.StateBucket, null, ("s3:prefix", "env:/"));
        flow.S3("GetObject", flow.StateBucket, "ci/terraform.tfstate");
        flow.Call("iam", "GetOpenIDConnectProvider", $"arn:aws:iam::{Account}:oidc-provider/token.actions.githubusercontent.com");
        foreach (var stage in new[] { "dev", "prod" })
        {
            flow.Call("iam", "GetPolicy", Boundary(stage));
            flow.Call("iam", "GetPolicyVersion", Boundary(stage));
            foreach (var role in new[] { PlanRole(stage), DriftRole(stage), ApplyRole(stage) })
                foreach (var operation in new[] { "GetRole", "ListRolePolicies", "GetRolePolicy", "ListAttachedRolePolicies" })
                    flow.Call("iam", operation, $"arn:aws:iam::{Account}:role/{role}");
        }
        foreach (var bucket in new[] { flow.StateBucket, flow.ModulesBucket, Buckets("dev").Artifacts, Buckets("prod").Artifacts })
            flow.ReadBucketConfiguration(bucket);
        flow.Call("logs", "DescribeResourcePolicies", "*");
        return flow.Calls;
    }

    private static IReadOnlyList<PipelineCall> LocklessPlans(string name, string role, string stage)
    {
        var flow = new Flow(name, role, stage);
        foreach (var stack in Stacks) flow.Plan(stack, takesLock: false);
        return flow.Calls;
    }

    public static string ModuleKey(string module) =>
        $"modules/{module}/{File.ReadAllText(RepositoryRoot.Combine("modules", module, "VERSION")).Trim()}/{module}.zip";

    public static string Function(string stage, string? qualifier = null) =>
        $"arn:aws:lambda:{Region}:{Account}:function:depoxy-{stage}-api-function" + (qualifier is null ? "" : ":" + qualifier);

    public static string Distribution(string stage, string stack) => $"arn:aws:cloudfront::{Account}:distribution/E{stage.ToUpperInvariant()}{stack.ToUpperInvariant()}1234";

    public static string HttpApi(string stage) => $"arn:aws:apigateway:{Region}::/apis/{stage}0api0id";

    public static string Boundary(string stage) => $"arn:aws:iam::{Account}:policy/depoxy-{stage}-boundary";

    public static string LogGroup(string name) => $"arn:aws:logs:{Region}:{Account}:log-group:{name}";

    public static string Object(string bucket, string key) => $"arn:aws:s3:::{bucket}/{key}";

    /// <summary>The buckets a stage's build uses: .nuke/parameters.&lt;stage&gt;.json, exactly as the build reads them.</summary>
    public static StageBuckets Buckets(string stage)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.Combine(".nuke", $"parameters.{stage}.json")));
        string Get(string name) => json.RootElement.TryGetProperty(name, out var value) ? value.GetString()! : throw new InvalidOperationException($".nuke/parameters.{stage}.json has no {name}");
        return new StageBuckets(Get("ArtifactsBucket"), Get("StateBucket"), Get("ModulesBucket"));
    }

    public sealed record StageBuckets(string Artifacts, string State, string Modules);

    /// <summary>Appends the calls of one flow, as one role, for one stage.</summary>
    private sealed class Flow(string name, string role, string stage)
    {
        private static readonly (string, string) IfNoneMatch = ("s3:if-none-match", "*");
        private readonly StageBuckets _buckets = Buckets(stage);

        public List<PipelineCall> Calls { get; } = [];
        public string Artifacts => _buckets.Artifacts;
        public string StateBucket => _buckets.State;
        public string ModulesBucket => _buckets.Modules;
        private (string, string) StageTag => ("aws:ResourceTag/depoxy:stage", stage);
        private (string, string)[] RequestTags => [("aws:RequestTag/depoxy:stage", stage), ("aws:TagKeys", "project,depoxy:stage,depoxy:stack,managed-by")];

        public void Call(string service, string operation, string resource, params (string Key, string Value)[] context) =>
            Calls.Add(new PipelineCall(name, role, service, operation, resource, context.ToDictionary(c => c.Key, c => c.Value)));

        public void S3(string operation, string bucket, string? key, params (string Key, string Value)[] context) =>
            Call("s3", operation, key is null ? $"arn:aws:s3:::{bucket}" : Object(bucket, key), context);

        public void Lambda(string operation, string resource, params (string Key, string Value)[] context) =>
            Call("lambda", operation, resource, [StageTag, .. context]);

        private string StateKey(string stack) => $"{stage}/{stack}/terraform.tfstate";

        /// <summary>init, plan: the S3 backend (workspaces, state, lock unless -lock=false), module downloads, data sources, refresh.</summary>
        public void Plan(string stack, bool takesLock)
        {
            S3("ListObjectsV2", StateBucket, null, ("s3:prefix", "env:/"));
            foreach (var module in stack == "api" ? new[] { "lambda-role", "lambda", "api-gateway", "cloudfront-api" } : ["s3-site"])
            {
                // go-getter lists the key first to tell a file from a folder.
                S3("ListObjectsV2", ModulesBucket, null, ("s3:prefix", ModuleKey(module)));
                S3("GetObject", ModulesBucket, ModuleKey(module));
            }
            if (takesLock) S3("PutObject", StateBucket, StateKey(stack) + ".tflock", IfNoneMatch);
            // The backend asks whether the state exists before it reads it.
            S3("HeadObject", StateBucket, StateKey(stack));
            S3("GetObject", StateBucket, StateKey(stack));
            Refresh(stack);
            if (takesLock) UnlockState(stack);
        }

        private void UnlockState(string stack)
        {
            S3("GetObject", StateBucket, StateKey(stack) + ".tflock");
            S3("DeleteObject", StateBucket, StateKey(stack) + ".tflock");
        }

        /// <summary>Applies the saved plan: lock, the provider's writes, state, unlock.</summary>
        public void Apply(string stack, bool firstRelease)
        {
            S3("PutObject", StateBucket, StateKey(stack) + ".tflock", IfNoneMatch);
            // The backend asks whether the state exists before it reads it.
            S3("HeadObject", StateBucket, StateKey(stack));
            S3("GetObject", StateBucket, StateKey(stack));
            if (firstRelease) Create(stack);
            else Update(stack);
            Refresh(stack);
            S3("PutObject", StateBucket, StateKey(stack));
            UnlockState(stack);
        }

        /// <summary>What the AWS provider reads to refresh each resource of the stack.</summary>
        private void Refresh(string stack)
        {
            Call("logs", "DescribeLogGroups", "*");
            if (stack == "api")
            {
                var role = $"arn:aws:iam::{Account}:role/depoxy-{stage}-api-lambda";
                foreach (var operation in new[] { "GetRole", "ListRolePolicies", "GetRolePolicy", "ListAttachedRolePolicies" })
                    Call("iam", operation, role, ("iam:PermissionsBoundary", Boundary(stage)));
                foreach (var group in new[] { $"/aws/lambda/depoxy-{stage}-api-function", $"/aws/apigateway/depoxy-{stage}-api" })
                    Call("logs", "ListTagsForResource", LogGroup(group), StageTag);
                foreach (var operation in new[] { "GetFunction", "GetFunctionCodeSigningConfig", "ListVersionsByFunction", "GetAlias" })
                    Lambda(operation, Function(stage));
                Lambda("GetPolicy", Function(stage, "live"));
                // The published version the alias points at.
                Lambda("GetFunctionConfiguration", Function(stage, "2"));
                Call("apigateway", "GetApi", HttpApi(stage), StageTag);
                Call("apigateway", "GetIntegration", HttpApi(stage) + "/integrations/int1", StageTag);
                Call("apigateway", "GetRoute", HttpApi(stage) + "/routes/route1", StageTag);
                Call("apigateway", "GetStage", HttpApi(stage) + "/stages/$default", StageTag);
            }
            else
            {
                ReadBucketConfiguration($"depoxy-{stage}-{stack}");
                Call("cloudfront", "GetOriginAccessControl", $"arn:aws:cloudfront::{Account}:origin-access-control/E{stage.ToUpperInvariant()}{stack.ToUpperInvariant()}OAC");
                if (stack == "app")
                {
                    Call("cloudfront", "DescribeFunction", CloudFrontFunction());
                    Call("cloudfront", "GetFunction", CloudFrontFunction());
                }
            }
            Call("cloudfront", "GetDistribution", Distribution(stage, stack), StageTag);
            Call("cloudfront", "ListTagsForResource", Distribution(stage, stack), StageTag);
        }

        private string CloudFrontFunction() => $"arn:aws:cloudfront::{Account}:function/depoxy-{stage}-app-spa-routing";

        public void ReadBucketConfiguration(string bucket)
        {
            foreach (var operation in new[]
                     {
                         "HeadBucket", "GetBucketPolicy", "GetBucketAcl", "GetBucketCors", "GetBucketWebsite", "GetBucketVersioning",
                         "GetBucketAccelerateConfiguration", "GetBucketRequestPayment", "GetBucketLogging", "GetBucketLifecycleConfiguration",
                         "GetBucketReplication", "GetBucketEncryption", "GetObjectLockConfiguration", "GetBucketTagging",
                         "GetBucketOwnershipControls", "GetPublicAccessBlock",
                     })
                S3(operation, bucket, null);
        }

        /// <summary>The provider's creates on a stage's first apply (modules/*, tf/&lt;stage&gt;/*).</summary>
        private void Create(string stack)
        {
            if (stack == "api")
            {
                var role = $"arn:aws:iam::{Account}:role/depoxy-{stage}-api-lambda";
                var boundary = ("iam:PermissionsBoundary", Boundary(stage));
                Call("iam", "CreateRole", role, [boundary, .. RequestTags]);
                Call("iam", "PutRolePolicy", role, boundary);
                foreach (var group in new[] { $"/aws/lambda/depoxy-{stage}-api-function", $"/aws/apigateway/depoxy-{stage}-api" })
                {
                    Call("logs", "CreateLogGroup", LogGroup(group), RequestTags);
                    Call("logs", "PutRetentionPolicy", LogGroup(group), StageTag);
                }
                Call("iam", "PassRole", role, ("iam:PassedToService", "lambda.amazonaws.com"));
                Call("lambda", "GetLayerVersion", LayerArn);
                // Lambda fetches the package from S3 with the caller's rights.
                S3("GetObject", Artifacts, $"api/{Version}/api.zip");
                Call("lambda", "CreateFunction", Function(stage), [("lambda:Layer", LayerArn), .. RequestTags]);
                Lambda("CreateAlias", Function(stage));
                Call("apigateway", "CreateApi", $"arn:aws:apigateway:{Region}::/apis", RequestTags);
                Call("apigateway", "CreateIntegration", HttpApi(stage) + "/integrations", StageTag);
                Call("apigateway", "CreateRoute", HttpApi(stage) + "/routes", StageTag);
                // API Gateway sets up the access log delivery with the caller's rights (tf/ci holds the resource policy).
                foreach (var operation in new[] { "DescribeResourcePolicies", "ListLogDeliveries", "GetLogDelivery", "CreateLogDelivery" })
                    Call("logs", operation, "*");
                Call("apigateway", "CreateStage", HttpApi(stage) + "/stages", [StageTag, .. RequestTags]);
                Lambda("AddPermission", Function(stage, "live"), ("lambda:Principal", "apigateway.amazonaws.com"));
            }
            else
            {
                var bucket = $"depoxy-{stage}-{stack}";
                foreach (var operation in new[]
                         {
                             "CreateBucket", "PutBucketTagging", "PutBucketOwnershipControls", "PutPublicAccessBlock", "PutBucketEncryption",
                             "PutBucketVersioning", "PutBucketLifecycleConfiguration", "PutBucketPolicy",
                         })
                    S3(operation, bucket, null);
                Call("cloudfront", "CreateOriginAccessControl", $"arn:aws:cloudfront::{Account}:origin-access-control/*");
                if (stack == "app")
                {
                    Call("cloudfront", "CreateFunction", CloudFrontFunction());
                    Call("cloudfront", "PublishFunction", CloudFrontFunction());
                }
            }
            Call("cloudfront", "CreateDistributionWithTags", Distribution(stage, stack), RequestTags);
        }

        /// <summary>
        /// A later apply: the distribution's configuration when it changed, and for the api a new version (new
        /// environment, DEPOXY_API_VERSION, and code), published by the provider.
        /// </summary>
        private void Update(string stack)
        {
            Call("cloudfront", "UpdateDistribution", Distribution(stage, stack), StageTag);
            if (stack != "api") return;
            Lambda("UpdateFunctionConfiguration", Function(stage), ("lambda:Layer", LayerArn));
            S3("GetObject", Artifacts, $"api/{Version}/api.zip");
            Lambda("UpdateFunctionCode", Function(stage));
            Lambda("PublishVersion", Function(stage));
        }
    }
}
