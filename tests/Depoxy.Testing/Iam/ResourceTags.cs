using System.Text.Json.Nodes;
using System.Xml.Linq;
using Amazon;
using Depoxy.Aws;

namespace Depoxy.Testing.Iam;

/// <summary>
/// What AWS adds to each request on a tagged resource before it evaluates the policies: aws:ResourceTag/&lt;key&gt;
/// for every tag the resource carries. A client cannot know these, so they are read from the account (the emulator)
/// for the Lambda functions and CloudFront distributions the calls name.
/// </summary>
public sealed class ResourceTags(AwsEnvironment aws)
{
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _tags = [];

    public async Task<IReadOnlyList<PipelineCall>> AddToAsync(IReadOnlyList<PipelineCall> calls)
    {
        var tagged = new List<PipelineCall>();
        foreach (var call in calls)
        {
            if (TaggedResource(call.Resource) is not { } resource)
            {
                tagged.Add(call);
                continue;
            }
            if (!_tags.TryGetValue(resource, out var tags)) _tags[resource] = tags = await ReadAsync(resource);
            var context = call.Context.ToDictionary();
            foreach (var (key, value) in tags) context[$"aws:ResourceTag/{key}"] = value;
            tagged.Add(call with { Context = context });
        }
        return tagged;
    }

    /// <summary>The function of a function, version or alias ARN; a distribution ARN as it is.</summary>
    private static string? TaggedResource(string arn)
    {
        var parts = arn.Split(':');
        if (parts.Length >= 7 && parts[2] == "lambda" && parts[5] == "function") return string.Join(':', parts[..7]);
        return parts.Length == 6 && parts[2] == "cloudfront" && parts[5].StartsWith("distribution/", StringComparison.Ordinal) ? arn : null;
    }

    private async Task<IReadOnlyDictionary<string, string>> ReadAsync(string arn)
    {
        if (arn.Split(':')[2] == "lambda")
        {
            using var lambda = SignedHttpClient.Create(aws, "lambda", aws.EndpointFor("LAMBDA", "lambda.amazonaws.com"));
            var json = JsonNode.Parse(await GetAsync(lambda, $"/2017-03-31/tags/{Uri.EscapeDataString(arn)}"))!;
            return json["Tags"]?.AsObject().ToDictionary(t => t.Key, t => t.Value!.ToString()) ?? [];
        }
        using var cloudFront = SignedHttpClient.Create(aws, "cloudfront", aws.EndpointFor("CLOUDFRONT", "cloudfront.amazonaws.com"), RegionEndpoint.USEast1);
        var xml = XDocument.Parse(await GetAsync(cloudFront, $"/2020-05-31/tagging?Resource={Uri.EscapeDataString(arn)}"));
        return xml.Descendants().Where(e => e.Name.LocalName == "Tag")
            .ToDictionary(t => t.Elements().Single(e => e.Name.LocalName == "Key").Value, t => t.Elements().Single(e => e.Name.LocalName == "Value").Value);
    }

    private static async Task<string> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? body : throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {body}");
    }
}
