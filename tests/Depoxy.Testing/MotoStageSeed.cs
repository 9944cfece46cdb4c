using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Amazon;
using Amazon.S3;
using Amazon.S3.Model;
using Depoxy.Aws;
using Depoxy.Build.Engine;
using Depoxy.Terraform;

namespace Depoxy.Testing;

/// <summary>
/// Test seeding, named as the stand-in it is: creates directly in moto a stage as tf/&lt;stage&gt;/* would, for flow tests
/// that exercise the deploy components and inject faults without paying for Terraform (the build's --emulator runs
/// the real Terraform; tests/Depoxy.Pipeline.Tests/OfflineCommandLineTests proves that path). Names follow the
/// stacks (function <c>depoxy-&lt;stage&gt;-api-function</c>, alias <c>live</c>, site buckets <c>depoxy-&lt;stage&gt;-www|app</c>).
/// Every call is idempotent.
/// </summary>
public sealed class MotoStageSeed(AwsEnvironment aws, string root)
{
    private static readonly XNamespace CloudFront = "http://cloudfront.amazonaws.com/doc/2020-05-31/";

    public static string FunctionName(string stage) => $"depoxy-{stage}-api-function";

    public static string SiteBucket(string stage, string site) => $"depoxy-{stage}-{site}";

    public async Task SeedBucketsAsync(IEnumerable<string> buckets, CancellationToken cancellationToken = default)
    {
        using var s3 = S3ClientFactory.Create(aws);
        var existing = (await s3.ListBucketsAsync(cancellationToken)).Buckets?.Select(b => b.BucketName).ToHashSet() ?? [];
        foreach (var bucket in buckets.Distinct().Where(b => !existing.Contains(b)))
            await s3.PutBucketAsync(new PutBucketRequest
            {
                BucketName = bucket,
                PutBucketConfiguration = new PutBucketConfiguration { LocationConstraint = new BucketLocationConstraint(aws.Region.SystemName) },
            }, cancellationToken);
    }

    /// <summary>What the api, www and app stacks create for a stage, short of the function (that needs a published artifact).</summary>
    public async Task<(SiteStackOutputs Www, SiteStackOutputs App, string ApiDistributionId)> SeedStageAsync(string stage, CancellationToken cancellationToken = default)
    {
        var environment = ApiEnvironment(stage, "seed");
        await SeedBucketsAsync([SiteBucket(stage, "www"), SiteBucket(stage, "app"), environment["DEPOXY_API_S3_BUCKET"]], cancellationToken);
        await EnsureRoleAsync($"depoxy-{stage}-api-lambda", cancellationToken);
        await new Depoxy.Emulator.EmulatorOperator(aws).EnsureStageSecretsAsync(environment, cancellationToken);
        var www = await EnsureDistributionAsync($"depoxy-{stage}-www", cancellationToken);
        var app = await EnsureDistributionAsync($"depoxy-{stage}-app", cancellationToken);
        var api = await EnsureDistributionAsync($"depoxy-{stage}-api", cancellationToken);
        return (new SiteStackOutputs(SiteBucket(stage, "www"), www.Id, $"https://{www.Domain}"),
            new SiteStackOutputs(SiteBucket(stage, "app"), app.Id, $"https://{app.Domain}"),
            api.Id);
    }

    /// <summary>Creates the stage's function from the published artifact when it does not exist yet, as the first apply would.</summary>
    public async Task<ApiStackOutputs> EnsureFunctionAsync(string stage, string apiDistributionId, string artifactBucket, string version, CancellationToken cancellationToken = default)
    {
        using var lambda = Signed("lambda", "LAMBDA");
        var name = FunctionName(stage);
        using var existing = await lambda.GetAsync($"/2015-03-31/functions/{name}", cancellationToken);
        if (existing.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            var environment = ApiEnvironment(stage, version);
            var create = new JsonObject
            {
                ["FunctionName"] = name,
                ["Runtime"] = "provided.al2023",
                ["Role"] = $"arn:aws:iam::{"123456789012"}:role/depoxy-{stage}-api-lambda",
                ["Handler"] = "bootstrap",
                ["Architectures"] = new JsonArray("x86_64"),
                ["MemorySize"] = 1024,
                ["Timeout"] = 10,
                ["Code"] = new JsonObject { ["S3Bucket"] = artifactBucket, ["S3Key"] = $"api/{version}/api.zip" },
                ["Environment"] = new JsonObject { ["Variables"] = JsonSerializer.SerializeToNode(environment) },
            };
            using var created = await lambda.PostAsJsonAsync("/2015-03-31/functions", create, cancellationToken);
            await AwsResponse.EnsureSuccessAsync(created, "Lambda", cancellationToken);
            Log.Info($"Emulator seeding: created function {name} from api/{version}/api.zip");
        }
        else
        {
            await AwsResponse.EnsureSuccessAsync(existing, "Lambda", cancellationToken);
            // An apply sets DEPOXY_API_VERSION to the release's version, so every release publishes its own Lambda
            // version; re-applying the same release changes nothing.
            var current = JsonNode.Parse(await existing.Content.ReadAsStringAsync(cancellationToken))?["Configuration"]?["Environment"]?["Variables"]?["DEPOXY_API_VERSION"]?.GetValue<string>();
            if (current != version)
            {
                var configuration = new JsonObject { ["Environment"] = new JsonObject { ["Variables"] = JsonSerializer.SerializeToNode(ApiEnvironment(stage, version)) } };
                using var updated = await lambda.PutAsJsonAsync($"/2015-03-31/functions/{name}/configuration", configuration, cancellationToken);
                await AwsResponse.EnsureSuccessAsync(updated, "Lambda", cancellationToken);
            }
        }
        return new ApiStackOutputs(name, "live", $"{aws.EndpointFor("APIGATEWAY", "execute-api")}", apiDistributionId, "emulator://local-api");
    }

    /// <summary>
    /// The API's environment as tf/&lt;stage&gt;/api/main.tf declares it (read from there, so the two cannot drift),
    /// without Honeycomb: no telemetry leaves the machine in emulator mode.
    /// </summary>
    public IReadOnlyDictionary<string, string> ApiEnvironment(string stage, string version)
    {
        var file = Path.Combine(root, "tf", stage, "api", "main.tf");
        var pairs = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(file), @"(DEPOXY_API_[A-Z0-9_]+)\s*=\s*""([^""]*)""")
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Replace("${local.stage}", stage));
        pairs.Remove("DEPOXY_API_HONEYCOMB_SECRET_ID");
        pairs["DEPOXY_API_STAGE"] = stage;
        pairs["DEPOXY_API_VERSION"] = version;
        return pairs;
    }

    private async Task EnsureRoleAsync(string roleName, CancellationToken cancellationToken)
    {
        using var iam = Signed("iam", "IAM", RegionEndpoint.USEast1);
        const string trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
        using var response = await iam.PostAsync("/", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Action"] = "CreateRole", ["Version"] = "2010-05-08", ["RoleName"] = roleName, ["AssumeRolePolicyDocument"] = trust,
        }), cancellationToken);
        if (response.StatusCode != System.Net.HttpStatusCode.Conflict)
            await AwsResponse.EnsureSuccessAsync(response, "IAM", cancellationToken);
    }

    private async Task<(string Id, string Domain)> EnsureDistributionAsync(string comment, CancellationToken cancellationToken)
    {
        using var cloudFront = Signed("cloudfront", "CLOUDFRONT", RegionEndpoint.USEast1);
        var list = XDocument.Parse(await cloudFront.GetStringAsync("/2020-05-31/distribution", cancellationToken));
        // moto's summaries carry no Comment, so each distribution's config is read for its CallerReference.
        foreach (var summary in list.Descendants(CloudFront + "DistributionSummary"))
        {
            var id = (string)summary.Element(CloudFront + "Id")!;
            var existing = XDocument.Parse(await cloudFront.GetStringAsync($"/2020-05-31/distribution/{id}/config", cancellationToken));
            if (existing.Root?.Element(CloudFront + "CallerReference")?.Value == comment)
                return (id, (string)summary.Element(CloudFront + "DomainName")!);
        }

        var config = new XElement(CloudFront + "DistributionConfig",
            new XElement(CloudFront + "CallerReference", comment),
            new XElement(CloudFront + "Origins",
                new XElement(CloudFront + "Quantity", 1),
                new XElement(CloudFront + "Items",
                    new XElement(CloudFront + "Origin",
                        new XElement(CloudFront + "Id", "origin"),
                        new XElement(CloudFront + "DomainName", $"{comment}.s3.eu-west-1.amazonaws.com"),
                        new XElement(CloudFront + "S3OriginConfig", new XElement(CloudFront + "OriginAccessIdentity", ""))))),
            new XElement(CloudFront + "DefaultCacheBehavior",
                new XElement(CloudFront + "TargetOriginId", "origin"),
                new XElement(CloudFront + "ViewerProtocolPolicy", "redirect-to-https"),
                new XElement(CloudFront + "CachePolicyId", "658327ea-f89d-4fab-a63d-7e88639e58f6")),
            new XElement(CloudFront + "Comment", comment),
            new XElement(CloudFront + "Enabled", true));
        using var content = new StringContent(config.ToString(SaveOptions.DisableFormatting), Encoding.UTF8, "application/xml");
        using var response = await cloudFront.PostAsync("/2020-05-31/distribution", content, cancellationToken);
        await AwsResponse.EnsureSuccessAsync(response, "CloudFront", cancellationToken);
        var distribution = XDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).Root!;
        Log.Info($"Emulator seeding: created distribution {comment}");
        return ((string)distribution.Element(CloudFront + "Id")!, (string)distribution.Element(CloudFront + "DomainName")!);
    }

    private HttpClient Signed(string signingName, string serviceId, RegionEndpoint? region = null) =>
        SignedHttpClient.Create(aws, signingName, aws.EndpointFor(serviceId, "unused.amazonaws.com"), region);
}
