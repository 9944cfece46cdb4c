using Amazon.S3;
using Amazon.S3.Model;
using Depoxy.Aws;
using Depoxy.Aws.CloudFront;
using Depoxy.Aws.Lambda;
using Depoxy.Deploy;
using Depoxy.Deploy.Flows;
using Depoxy.Emulator;
using Depoxy.Packaging;
using Depoxy.Packaging.Publishing;
using Depoxy.Sites;
using Depoxy.Terraform;
using Depoxy.Testing;

namespace Depoxy.Pipeline.Tests.Support;

[CollectionDefinition(Name)]
public sealed class PipelineMotoCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "moto (Depoxy.Pipeline.Tests)";
}

/// <summary>
/// dev and prod in a freshly reset moto, wired as the build wires them (build/Tooling/Pipeline.cs): the emulator
/// seeder stands in for Terraform, fixture releases are published with ArtifactPublisher, and the flows run for real
/// against moto with only the smoke check replaced by a stand-in. Waits are shortened; faults go in through transports.
/// </summary>
public sealed class DeployWorld : IAsyncDisposable
{
    public const string DevBucket = "depoxy-artifacts-dev";
    public const string ProdBucket = "depoxy-artifacts-prod";

    private static readonly Func<TimeSpan, CancellationToken, Task> NoWait = (_, _) => Task.CompletedTask;

    private readonly MotoServer _moto;
    private readonly Dictionary<string, FixtureRelease> _releases = [];

    private DeployWorld(MotoServer moto)
    {
        _moto = moto;
        S3 = S3ClientFactory.Create(moto.Aws);
        Seeder = new MotoStageSeed(moto.Aws, RepositoryRoot.Path);
        Lambda = LambdaClient.Create(moto.Aws, new LambdaClientOptions { Delay = NoWait });
    }

    public IAmazonS3 S3 { get; }
    public MotoStageSeed Seeder { get; }
    public LambdaClient Lambda { get; }
    public AwsEnvironment Aws => _moto.Aws;

    public static string BucketOf(string stage) => stage == "prod" ? ProdBucket : DevBucket;

    public static async Task<DeployWorld> CreateAsync(MotoServer moto)
    {
        await moto.ResetAsync();
        var world = new DeployWorld(moto);
        await world.Seeder.SeedBucketsAsync([DevBucket, ProdBucket]);
        return world;
    }

    public FixtureRelease Release(string version, int extraWwwPages = 0) =>
        _releases.TryGetValue(version, out var release) ? release : _releases[version] = FixtureRelease.Create(version, extraWwwPages);

    /// <summary>Publishes a fixture release to dev's bucket, as Publish does.</summary>
    public async Task<FixtureRelease> PublishAsync(string version, int extraWwwPages = 0)
    {
        var release = Release(version, extraWwwPages);
        await new ArtifactPublisher(S3, UploadProgress.Lines).PublishAsync(release.Directory, DevBucket);
        return release;
    }

    public ReleaseFlow Flow(ISmokeCheck smoke, HttpMessageHandler? lambdaTransport = null, HttpMessageHandler? cloudFrontTransport = null,
        Action<string>? onLambdaRetry = null, string stage = "dev")
    {
        var lambda = LambdaClient.Create(Aws, new LambdaClientOptions { Delay = NoWait, OnRetry = onLambdaRetry }, lambdaTransport);
        var cloudFront = new CloudFrontClient(Aws, cloudFrontTransport, new CloudFrontRetry(4, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(20)));
        return new ReleaseFlow(S3, LambdaReleaser.Create(lambda, S3, stage), new SiteSync(S3ClientFactory.Create(Aws), cloudFront), smoke);
    }

    /// <summary>What Plan/Apply would leave for <paramref name="version"/> on a stage, seeded as the emulator does.</summary>
    public async Task<StageTarget> StageAsync(string stage, string version)
    {
        var (www, app, apiDistribution) = await Seeder.SeedStageAsync(stage);
        var api = await Seeder.EnsureFunctionAsync(stage, apiDistribution, BucketOf(stage), version);
        return new StageTarget(stage, BucketOf(stage), api, new Dictionary<string, SiteStackOutputs> { ["www"] = www, ["app"] = app });
    }

    /// <summary>Deploy --stage dev for an already published version: seed (Terraform's part), then the release flow.</summary>
    /// <param name="infrastructureChanged">What the run's Terraform would have reported.</param>
    public async Task<ReleaseResult> DeployDevAsync(string version, ReleaseFlow flow, bool infrastructureChanged = true)
    {
        var manifest = await new ArtifactStore(S3).ReadManifestAsync(DevBucket, version);
        return await flow.ReleaseAsync(await StageAsync("dev", version), manifest, ReleaseFlow.DeployKind, infrastructureChanged);
    }

    /// <summary>Promote --from dev --to prod [--version]: resolve, verified copy, then prod's release with the copied manifest.</summary>
    public async Task<ReleaseResult> PromoteAsync(ReleaseFlow flow, string? version = null)
    {
        var promotion = new Promotion(S3, S3);
        var resolved = await promotion.ResolveVersionAsync("dev", DevBucket, version);
        await promotion.CopyAsync(DevBucket, ProdBucket, resolved);
        var manifest = await new ArtifactStore(S3).ReadManifestAsync(ProdBucket, resolved);
        return await flow.ReleaseAsync(await StageAsync("prod", resolved), manifest, ReleaseFlow.PromoteKind);
    }

    public ReleaseLedger Ledger(string stage) => new(S3, BucketOf(stage), stage);

    public async Task<string?> AliasVersionAsync(string stage) =>
        (await Lambda.GetAliasAsync(MotoStageSeed.FunctionName(stage), "live"))?.FunctionVersion;

    public async Task<string> CodeSha256Async(string stage, string? qualifier = null) =>
        (await Lambda.GetFunctionAsync(MotoStageSeed.FunctionName(stage), qualifier)).Configuration.CodeSha256;

    /// <summary>Every key and ETag in a bucket, to prove a refused operation changed nothing.</summary>
    public Task<IReadOnlyDictionary<string, string>> SnapshotAsync(string bucket) => BucketSnapshot.TakeAsync(S3, bucket);

    public async Task<string> ReadTextAsync(string bucket, string key)
    {
        using var response = await S3.GetObjectAsync(bucket, key);
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }

    public async Task PutRawAsync(string bucket, string key, string content) =>
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = content });

    public ValueTask DisposeAsync()
    {
        foreach (var release in _releases.Values) release.Dispose();
        Lambda.Dispose();
        S3.Dispose();
        return ValueTask.CompletedTask;
    }
}
