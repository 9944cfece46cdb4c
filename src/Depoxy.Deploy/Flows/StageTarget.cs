using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.S3;
using Amazon.S3.Model;
using Depoxy.Terraform;

namespace Depoxy.Deploy.Flows;

/// <summary>
/// Where a stage's release lands: its artifacts bucket and what its stacks output. Saved beside the ledger at every
/// release, so Rollback needs no Terraform.
/// </summary>
public sealed record StageTarget(string Stage, string ArtifactsBucket, ApiStackOutputs Api, IReadOnlyDictionary<string, SiteStackOutputs> Sites)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The drift this release's apply put back (one line per resource), for its ledger entry; not saved with the stage.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> CorrectedDrift { get; init; } = [];

    /// <summary>Stack name → lineage of its state, for the ledger: a later plan refuses a stack whose state is not this one.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, string> StateLineages { get; init; } = new Dictionary<string, string>();

    public static string Key(string stage) => $"releases/{stage}/stage.json";

    public static StageTarget FromOutputs(string stage, string artifactsBucket, IEnumerable<StackOutputs> applied) =>
        FromStacks(stage, artifactsBucket, applied.ToDictionary(s => s.Stack));

    private static StageTarget FromStacks(string stage, string artifactsBucket, IReadOnlyDictionary<string, StackOutputs> stacks)
    {
        StackOutputs Stack(string name) => stacks.TryGetValue(name, out var outputs)
            ? outputs
            : throw new DeployException($"no outputs of tf/{stage}/{name}: apply all three stacks of {stage} before releasing to it");
        return new StageTarget(stage, artifactsBucket, Stack("api").Api(),
            new Dictionary<string, SiteStackOutputs> { ["www"] = Stack("www").Site(), ["app"] = Stack("app").Site() });
    }

    /// <summary>Files a site gets from the stage at deploy time, beside the release's own: the app's config.json names its API.</summary>
    public IReadOnlyDictionary<string, string> SiteFiles(string site) => site == "app"
        ? new Dictionary<string, string> { ["config.json"] = JsonSerializer.Serialize(new { apiUrl = Api.PublicUrl.TrimEnd('/') }) + "\n" }
        : new Dictionary<string, string>();

    public async Task SaveAsync(IAmazonS3 s3, CancellationToken cancellationToken = default) =>
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = ArtifactsBucket,
            Key = Key(Stage),
            ContentBody = JsonSerializer.Serialize(this, Json),
            ContentType = "application/json",
        }, cancellationToken);

    public static async Task<StageTarget> LoadAsync(IAmazonS3 s3, string stage, string artifactsBucket, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await s3.GetObjectAsync(artifactsBucket, Key(stage), cancellationToken);
            return await JsonSerializer.DeserializeAsync<StageTarget>(response.ResponseStream, Json, cancellationToken)
                   ?? throw new DeployException($"s3://{artifactsBucket}/{Key(stage)} is empty: deploy {stage} once before rolling it back");
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw new DeployException($"{stage} was never released (no s3://{artifactsBucket}/{Key(stage)}): deploy it before rolling it back");
        }
    }
}
