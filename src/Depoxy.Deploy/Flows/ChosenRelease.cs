using System.Text.Json;
using Amazon.S3;
using Depoxy.Packaging;
using Depoxy.Packaging.Publishing;

namespace Depoxy.Deploy.Flows;

/// <summary>
/// The release a run ships or plans against, written once to <c>artifacts/release.json</c> and read by every later
/// target and job (NUKE's Produces/Consumes): Plan passes its version and hash to the api stack, Apply and the
/// release steps ship exactly it, and a plan job's choice reaches its apply job unchanged.
/// </summary>
public sealed record ChosenRelease(string Stage, string Version, string ApiBase64Sha256, string Kind, string? SourceStage = null, string? SourceBucket = null)
{
    public const string PlanKind = "Plan";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string FileIn(string artifactsDirectory) => Path.Combine(artifactsDirectory, "release.json");

    public void Write(string artifactsDirectory)
    {
        Directory.CreateDirectory(artifactsDirectory);
        File.WriteAllText(FileIn(artifactsDirectory), JsonSerializer.Serialize(this, Json));
    }

    public static ChosenRelease Read(string artifactsDirectory, string stage)
    {
        var file = FileIn(artifactsDirectory);
        if (!File.Exists(file))
            throw new DeployException($"{file} is missing: run the plan job (PlanDeploy or PlanPromote) first, or download its artifacts into artifacts/");
        var release = JsonSerializer.Deserialize<ChosenRelease>(File.ReadAllText(file), Json)
                      ?? throw new DeployException($"{file} is empty: run the plan job again");
        return release.Stage == stage
            ? release
            : throw new DeployException($"{file} was chosen for {release.Stage}, not {stage}: run the plan job for {stage}");
    }

    /// <summary>A Deploy: the commit's package (or, when that version is already published, its manifest).</summary>
    public static ChosenRelease ForDeploy(string stage, ReleaseManifest manifest) =>
        new(stage, manifest.Version, ApiHash(manifest), ReleaseFlow.DeployKind);

    /// <summary>A Promote: --from's current release, or the one named, if it ran there; proven against its manifest before anything is copied.</summary>
    public static async Task<(ChosenRelease Release, ReleaseManifest Manifest)> ForPromotionAsync(
        IAmazonS3 source, string fromStage, string fromBucket, string toStage, string? version, CancellationToken cancellationToken = default)
    {
        var promotion = new Promotion(source, source);
        var promoted = await promotion.ResolveVersionAsync(fromStage, fromBucket, version, cancellationToken);
        var store = new ArtifactStore(source);
        var manifest = await store.ReadManifestAsync(fromBucket, promoted, cancellationToken);
        await store.VerifyAsync(fromBucket, manifest, cancellationToken);
        return (new ChosenRelease(toStage, promoted, ApiHash(manifest), ReleaseFlow.PromoteKind, fromStage, fromBucket), manifest);
    }

    /// <summary>
    /// A plan on its own (pull request, drift): what the stage runs now, or --version if it ran there. A plan of the
    /// stage's own release shows only real changes and real drift, never the difference to an unpublished commit.
    /// </summary>
    public static async Task<ChosenRelease> ForPlanAsync(IAmazonS3 s3, string stage, string bucket, string? version, CancellationToken cancellationToken = default)
    {
        var ledger = new ReleaseLedger(s3, bucket, stage);
        var release = version is null
            ? await ledger.GetCurrentAsync(cancellationToken) is { Outcome: ReleaseOutcome.Succeeded } current
                ? current
                : throw new DeployException($"{stage} runs no release yet, so there is nothing to plan against: deploy {stage} once (./build.sh Deploy --stage {stage}), or pass --version of a published release")
            : await ledger.FindSuccessfulAsync(version, cancellationToken)
              ?? throw new DeployException($"{version} never ran successfully on {stage}: plan against one it ran (see ./build.sh Releases --stage {stage})");
        var manifest = await new ArtifactStore(s3).ReadManifestAsync(bucket, release.Version, cancellationToken);
        return new ChosenRelease(stage, release.Version, ApiHash(manifest), PlanKind);
    }

    private static string ApiHash(ReleaseManifest manifest) =>
        (manifest.Api ?? throw new DeployException($"release {manifest.Version} has no api artifact in its manifest: package and publish it again")).Base64Sha256;
}
