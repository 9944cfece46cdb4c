using System.Text.Json;
using Depoxy.Testing;

using Depoxy.Testing.Iam;

namespace Depoxy.Iam.Tests;

/// <summary>tf/ci creates and grants the buckets; .nuke/parameters.&lt;stage&gt;.json tell the build their names. One source of truth.</summary>
[Trait("Tier", "terraform")]
[Collection(CiStackCollection.Name)]
public sealed class BucketNamesTests(CiStack ci)
{
    [Theory]
    [InlineData("dev", "ArtifactsBucket", "artifacts_bucket_name_dev")]
    [InlineData("prod", "ArtifactsBucket", "artifacts_bucket_name_prod")]
    [InlineData("dev", "StateBucket", "state_bucket_name")]
    [InlineData("prod", "StateBucket", "state_bucket_name")]
    [InlineData("dev", "ModulesBucket", "modules_bucket_name")]
    [InlineData("prod", "ModulesBucket", "modules_bucket_name")]
    public void The_build_names_the_buckets_tf_ci_creates(string stage, string parameter, string output)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.Combine(".nuke", $"parameters.{stage}.json")));
        var configured = json.RootElement.TryGetProperty(parameter, out var value) ? value.GetString() : null;
        Assert.True(configured == ci.Outputs[output],
            $".nuke/parameters.{stage}.json sets {parameter} to '{configured}' but tf/ci creates '{ci.Outputs[output]}' (output {output}): make them the same");
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void No_artifacts_bucket_falls_under_a_stages_site_wildcard(string stage)
    {
        foreach (var site in new[] { "dev", "prod" })
            Assert.False(ci.Outputs[$"artifacts_bucket_name_{stage}"].StartsWith($"depoxy-{site}-", StringComparison.Ordinal),
                $"{stage}'s artifacts bucket {ci.Outputs[$"artifacts_bucket_name_{stage}"]} matches depoxy-{site}-*, the site buckets {site}'s apply role may do anything to");
    }
}
