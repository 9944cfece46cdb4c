using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Amazon;
using Amazon.S3;
using Depoxy.Aws;

namespace Depoxy.Testing.Iam;

/// <summary>A policy document as IAM or S3 stores it, with the name the simulator reports it by.</summary>
public sealed record NamedPolicy(string Name, JsonNode Document);

/// <summary>What a role may do: its inline and attached policies, and its permissions boundary if it has one.</summary>
public sealed record RolePolicies(string Name, string Arn, JsonNode Trust, IReadOnlyList<NamedPolicy> Policies, NamedPolicy? Boundary);

/// <summary>Every role and bucket policy tf/ci created, as moto's IAM and S3 hand them back.</summary>
public sealed record CiPolicies(IReadOnlyDictionary<string, RolePolicies> Roles, IReadOnlyDictionary<string, NamedPolicy> ManagedPolicies,
    IReadOnlyDictionary<string, JsonNode> BucketPolicies)
{
    public RolePolicies Role(string name) =>
        Roles.TryGetValue(name, out var role) ? role : throw new KeyNotFoundException($"tf/ci created no role {name}: apply tf/ci and check its role names");

    public JsonNode? BucketPolicy(string bucket) => BucketPolicies.GetValueOrDefault(bucket);
}

/// <summary>Reads IAM through its query API (AWSSDK.IdentityManagement is not a dependency here) and S3 through the SDK.</summary>
public sealed class CiPolicyReader(AwsEnvironment aws, Uri endpoint)
{
    private static readonly XNamespace Iam = "https://iam.amazonaws.com/doc/2010-05-08/";

    public async Task<CiPolicies> ReadAsync()
    {
        using var iam = SignedHttpClient.Create(aws, "iam", endpoint, RegionEndpoint.USEast1);
        var managed = new Dictionary<string, NamedPolicy>();
        foreach (var policy in (await QueryAsync(iam, "ListPolicies", ("Scope", "Local"))).Descendants(Iam + "member"))
        {
            var arn = policy.Element(Iam + "Arn")!.Value;
            var version = policy.Element(Iam + "DefaultVersionId")!.Value;
            var document = (await QueryAsync(iam, "GetPolicyVersion", ("PolicyArn", arn), ("VersionId", version))).Descendants(Iam + "Document").Single().Value;
            managed[arn] = new NamedPolicy(policy.Element(Iam + "PolicyName")!.Value, ParsePolicy(document));
        }

        var roles = new Dictionary<string, RolePolicies>();
        foreach (var name in (await QueryAsync(iam, "ListRoles")).Descendants(Iam + "RoleName").Select(e => e.Value))
        {
            var role = (await QueryAsync(iam, "GetRole", ("RoleName", name))).Descendants(Iam + "Role").Single();
            var policies = new List<NamedPolicy>();
            foreach (var inline in (await QueryAsync(iam, "ListRolePolicies", ("RoleName", name))).Descendants(Iam + "member").Select(e => e.Value))
            {
                var document = (await QueryAsync(iam, "GetRolePolicy", ("RoleName", name), ("PolicyName", inline))).Descendants(Iam + "PolicyDocument").Single().Value;
                policies.Add(new NamedPolicy($"{name}/{inline}", ParsePolicy(document)));
            }
            foreach (var attached in (await QueryAsync(iam, "ListAttachedRolePolicies", ("RoleName", name))).Descendants(Iam + "PolicyArn").Select(e => e.Value))
                policies.Add(managed.TryGetValue(attached, out var policy) ? policy : throw new InvalidOperationException($"role {name} has {attached} attached, which is not a policy of this account"));
            var boundaryArn = role.Element(Iam + "PermissionsBoundary")?.Element(Iam + "PermissionsBoundaryArn")?.Value;
            roles[name] = new RolePolicies(name, role.Element(Iam + "Arn")!.Value, ParsePolicy(role.Element(Iam + "AssumeRolePolicyDocument")!.Value), policies,
                boundaryArn is null ? null : managed[boundaryArn]);
        }

        using var s3 = S3ClientFactory.Create(aws);
        var buckets = new Dictionary<string, JsonNode>();
        foreach (var bucket in (await s3.ListBucketsAsync()).Buckets ?? [])
        {
            try
            {
                var policy = await s3.GetBucketPolicyAsync(bucket.BucketName);
                // The SDK hands moto's NoSuchBucketPolicy answer back as the policy text instead of throwing.
                if (policy.Policy?.TrimStart().StartsWith('{') == true) buckets[bucket.BucketName] = ParsePolicy(policy.Policy);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                // A bucket without a policy.
            }
        }
        return new CiPolicies(roles, managed, buckets);
    }

    private static async Task<XDocument> QueryAsync(HttpClient iam, string action, params (string Name, string Value)[] parameters)
    {
        var form = new List<KeyValuePair<string, string>> { new("Action", action), new("Version", "2010-05-08") };
        form.AddRange(parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)));
        using var response = await iam.PostAsync("/", new FormUrlEncodedContent(form));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"IAM {action} answered {(int)response.StatusCode}: {body}");
        return XDocument.Parse(body);
    }

    /// <summary>IAM returns policy documents URL-encoded; S3 and moto's trust policies return them as they are.</summary>
    private static JsonNode ParsePolicy(string text)
    {
        var json = text.TrimStart().StartsWith('{') ? text : Uri.UnescapeDataString(text);
        return JsonNode.Parse(json) ?? throw new InvalidOperationException("an empty policy document");
    }
}
