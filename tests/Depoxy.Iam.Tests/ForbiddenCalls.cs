using Depoxy.Testing.Iam;

namespace Depoxy.Iam.Tests;

/// <summary>One call that must be refused: who tries it, what, on which resource, with which request context, and why it matters.</summary>
public sealed record ForbiddenCall(string Role, string Action, string Resource, string Why, params (string Key, string Value)[] Context)
{
    public override string ToString() => $"{Role} {Action} {Resource}: {Why}";
}

/// <summary>
/// What no CI role may do, each proven denied by the simulator against the policies tf/ci created. Roles named
/// "depoxy-dev-function" are a role the dev apply role could create: allowed everything, bounded by dev's boundary.
/// </summary>
public static class ForbiddenCalls
{
    private const string A = PolicySimulator.AccountId;
    private const string DevApply = "github-depoxy-dev-apply";
    private const string ProdApply = "github-depoxy-prod-apply";
    private const string DevPlan = "github-depoxy-dev-plan";
    private const string ProdPlan = "github-depoxy-prod-plan";
    private const string DevDrift = "github-depoxy-dev-drift";
    private const string ProdDrift = "github-depoxy-prod-drift";
    public const string BoundedDevRole = "depoxy-dev-function";
    private static readonly string V = TerraformCalls.Version;
    private static string DevArtifacts => TerraformCalls.Buckets("dev").Artifacts;
    private static string ProdArtifacts => TerraformCalls.Buckets("prod").Artifacts;
    private static string State => TerraformCalls.Buckets("dev").State;
    private static string Modules => TerraformCalls.Buckets("dev").Modules;
    private static readonly (string, string) ProdTag = ("aws:ResourceTag/depoxy:stage", "prod");
    private static readonly (string, string) DevTag = ("aws:ResourceTag/depoxy:stage", "dev");

    public static IReadOnlyList<ForbiddenCall> All =>
    [
        // Each stage against the other stage.
        new(DevApply, "lambda:UpdateFunctionCode", TerraformCalls.Function("prod"), "dev ships code to prod's function", ProdTag),
        new(DevApply, "lambda:UpdateAlias", TerraformCalls.Function("prod", "live"), "dev moves prod's live alias", ProdTag),
        new(ProdApply, "lambda:UpdateAlias", TerraformCalls.Function("dev", "live"), "prod moves dev's live alias", DevTag),
        new(DevApply, "s3:PutObject", TerraformCalls.Object(ProdArtifacts, "releases/prod/current.json"), "dev rewrites prod's current release"),
        new(DevApply, "s3:GetObject", TerraformCalls.Object(ProdArtifacts, $"api/{V}/api.zip"), "dev reads prod's artifacts"),
        new(ProdApply, "s3:PutObject", TerraformCalls.Object(DevArtifacts, $"api/{V}/api.zip"), "prod writes the bytes it promotes from", ("s3:if-none-match", "*")),
        new(ProdApply, "s3:DeleteObject", TerraformCalls.Object(DevArtifacts, "releases/dev/lock.json"), "prod breaks dev's stage lock"),
        new(DevApply, "s3:GetObject", TerraformCalls.Object(State, "prod/api/terraform.tfstate"), "dev reads prod's state"),
        new(DevApply, "s3:PutObject", TerraformCalls.Object(State, "prod/api/terraform.tfstate"), "dev rewrites prod's state"),
        new(DevApply, "s3:DeleteObject", TerraformCalls.Object(State, "prod/api/terraform.tfstate.tflock"), "dev removes a running prod apply's lock"),
        new(DevApply, "s3:PutObject", TerraformCalls.Object("depoxy-prod-www", "index.html"), "dev defaces prod's site"),
        new(DevApply, "cloudfront:UpdateDistribution", TerraformCalls.Distribution("prod", "www"), "dev reconfigures prod's distribution", ProdTag),
        new(DevApply, "cloudfront:CreateInvalidation", TerraformCalls.Distribution("prod", "api"), "dev invalidates prod's cache", ProdTag),
        new(DevApply, "cloudfront:TagResource", TerraformCalls.Distribution("prod", "app"), "dev claims prod's distribution by retagging it", ProdTag, ("aws:RequestTag/depoxy:stage", "dev"), ("aws:TagKeys", "depoxy:stage")),
        new(DevApply, "cloudfront:UntagResource", TerraformCalls.Distribution("dev", "app"), "a stage tag comes off, leaving a distribution anyone can claim", DevTag, ("aws:TagKeys", "depoxy:stage")),
        new(DevApply, "cloudfront:UpdateOriginAccessControl", $"arn:aws:cloudfront::{A}:origin-access-control/EPRODWWWOAC", "dev changes an origin access control that may be prod's"),
        new(DevApply, "cloudfront:DeleteOriginAccessControl", $"arn:aws:cloudfront::{A}:origin-access-control/EPRODWWWOAC", "dev deletes an origin access control that may be prod's"),
        new(DevApply, "cloudfront:UpdateFunction", $"arn:aws:cloudfront::{A}:function/depoxy-prod-app-spa-routing", "dev rewrites prod's routing function"),
        new(DevApply, "apigateway:PATCH", TerraformCalls.HttpApi("prod"), "dev reconfigures prod's HTTP API", ProdTag),
        new(DevApply, "iam:PutRolePolicy", $"arn:aws:iam::{A}:role/depoxy-prod-api-lambda", "dev widens prod's function role", ("iam:PermissionsBoundary", TerraformCalls.Boundary("prod"))),
        new(DevApply, "secretsmanager:GetSecretValue", $"arn:aws:secretsmanager:eu-west-1:{A}:secret:prod/depoxy/api-AbCdEf", "dev reads prod's secrets"),
        new(DevApply, "logs:DeleteLogGroup", TerraformCalls.LogGroup("/aws/lambda/depoxy-prod-api-function"), "dev deletes prod's logs", ProdTag),
        new(DevApply, "logs:PutResourcePolicy", "*", "dev rewrites the account's log delivery policy"),
        new(DevApply, "logs:DeleteLogDelivery", "*", "dev deletes prod's access log delivery"),
        new(DevApply, "logs:UpdateLogDelivery", "*", "dev redirects prod's access logs"),
        new(BoundedDevRole, "secretsmanager:GetSecretValue", $"arn:aws:secretsmanager:eu-west-1:{A}:secret:prod/depoxy/api-AbCdEf", "a role dev creates reads prod's secrets"),
        new(BoundedDevRole, "ses:SendEmail", $"arn:aws:ses:eu-west-1:{A}:identity/depoxy.dev", "a role dev creates sends mail as anyone", ("ses:FromAddress", "ceo@depoxy.dev")),
        new(BoundedDevRole, "s3:GetObject", "arn:aws:s3:::depoxy-prod-data/api/users.json", "a role dev creates reads prod's data"),

        // Plan and drift roles write nothing, not even a state lock.
        new(DevPlan, "s3:PutObject", TerraformCalls.Object(State, "dev/api/terraform.tfstate.tflock"), "a pull request's plan takes dev's state lock", ("s3:if-none-match", "*")),
        new(DevPlan, "s3:DeleteObject", TerraformCalls.Object(State, "dev/api/terraform.tfstate.tflock"), "a pull request's plan removes a running apply's lock"),
        new(ProdPlan, "s3:PutObject", TerraformCalls.Object(State, "prod/www/terraform.tfstate.tflock"), "a pull request's plan takes prod's state lock", ("s3:if-none-match", "*")),
        new(ProdPlan, "s3:DeleteObject", TerraformCalls.Object(State, "prod/www/terraform.tfstate.tflock"), "a pull request's plan removes prod's apply lock"),
        new(ProdDrift, "s3:PutObject", TerraformCalls.Object(State, "prod/app/terraform.tfstate.tflock"), "a drift plan leaves a lock behind when cancelled", ("s3:if-none-match", "*")),
        new(DevDrift, "s3:PutObject", TerraformCalls.Object(State, "dev/app/terraform.tfstate"), "a drift plan rewrites state"),
        new(DevPlan, "s3:PutObject", TerraformCalls.Object(DevArtifacts, "releases/dev/current.json"), "a pull request changes what dev runs"),
        new(DevPlan, "lambda:UpdateFunctionCode", TerraformCalls.Function("dev"), "a pull request ships code", DevTag),
        new(DevDrift, "iam:PassRole", $"arn:aws:iam::{A}:role/depoxy-dev-api-lambda", "a drift plan hands a role to a service", ("iam:PassedToService", "lambda.amazonaws.com")),
        new(DevPlan, "apigateway:GET", $"arn:aws:apigateway:eu-west-1::/apikeys/abc123", "a pull request reads API keys"),
        new(ProdPlan, "apigateway:GET", $"arn:aws:apigateway:eu-west-1::/apikeys", "a pull request lists API keys"),
        new(DevPlan, "s3:GetObject", TerraformCalls.Object(State, "prod/api/terraform.tfstate"), "a pull request's dev plan reads prod's state"),
        new(ProdPlan, "s3:PutObject", TerraformCalls.Object(Modules, "modules/lambda/9.9.9/lambda.zip"), "a pull request publishes a module", ("s3:if-none-match", "*")),

        // Privilege escalation.
        new(DevApply, "iam:PutRolePolicy", $"arn:aws:iam::{A}:role/{DevApply}", "dev widens its own CI role"),
        new(DevApply, "iam:AttachRolePolicy", $"arn:aws:iam::{A}:role/{ProdApply}", "dev makes prod's deploy role an administrator", ("iam:PolicyARN", "arn:aws:iam::aws:policy/AdministratorAccess")),
        new(DevApply, "iam:CreateRole", $"arn:aws:iam::{A}:role/depoxy-dev-escape", "a role without the boundary"),
        new(DevApply, "iam:CreateRole", $"arn:aws:iam::{A}:role/depoxy-dev-escape", "a dev role carrying prod's boundary", ("iam:PermissionsBoundary", TerraformCalls.Boundary("prod"))),
        new(DevApply, "iam:DeleteRolePermissionsBoundary", $"arn:aws:iam::{A}:role/depoxy-dev-api-lambda", "the function role loses its boundary", ("iam:PermissionsBoundary", TerraformCalls.Boundary("dev"))),
        new(DevApply, "iam:CreatePolicyVersion", TerraformCalls.Boundary("dev"), "dev widens its own boundary"),
        new(DevApply, "iam:PassRole", $"arn:aws:iam::{A}:role/depoxy-dev-api-lambda", "the function role handed to EC2", ("iam:PassedToService", "ec2.amazonaws.com")),
        new(DevApply, "lambda:CreateFunctionUrlConfig", TerraformCalls.Function("dev"), "the function exposed on a public URL", DevTag, ("lambda:FunctionUrlAuthType", "NONE")),
        new(DevApply, "lambda:AddPermission", TerraformCalls.Function("dev", "live"), "the function opened to everyone", DevTag, ("lambda:Principal", "*")),
        new(DevApply, "lambda:AddPermission", TerraformCalls.Function("dev", "live"), "the function opened to another account", DevTag, ("lambda:Principal", "111122223333")),
        new(DevApply, "iam:UpdateAssumeRolePolicy", $"arn:aws:iam::{A}:role/depoxy-dev-api-lambda", "the function role made to trust anyone", ("iam:PermissionsBoundary", TerraformCalls.Boundary("dev"))),
        new(DevApply, "iam:UpdateAssumeRolePolicy", $"arn:aws:iam::{A}:role/{DevApply}", "dev's deploy role made to trust any repository"),

        // Release objects are immutable for everyone: the bucket policies refuse overwrites and deletes.
        new(DevApply, "s3:PutObject", TerraformCalls.Object(DevArtifacts, $"api/{V}/api.zip"), "dev overwrites a published API package that prod will promote"),
        new(DevApply, "s3:PutObject", TerraformCalls.Object(DevArtifacts, $"releases/{V}/manifest.json"), "dev rewrites the manifest Promote checks against"),
        new(DevApply, "s3:PutObject", TerraformCalls.Object(DevArtifacts, $"sites/www/{V}/www.zip"), "dev overwrites a published site"),
        new(DevApply, "s3:DeleteObject", TerraformCalls.Object(DevArtifacts, $"api/{V}/api.zip"), "a delete frees the key for other bytes"),
        new(ProdApply, "s3:PutObject", TerraformCalls.Object(ProdArtifacts, $"api/{V}/api.zip.base64sha256"), "prod overwrites the hash Terraform deploys by"),
        new(DevApply, "s3:PutObject", TerraformCalls.Object(Modules, TerraformCalls.ModuleKey("lambda")), "a published module version changes"),
        new(ProdApply, "s3:DeleteObject", TerraformCalls.Object(ProdArtifacts, "releases/prod/current.json"), "the apply role deletes more than its lock"),
    ];
}
