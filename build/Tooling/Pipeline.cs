using Depoxy.Aws;
using Depoxy.Aws.Lambda;
using Depoxy.Aws.Sts;
using Depoxy.Build.Engine;
using Depoxy.Deploy;
using Depoxy.Deploy.Flows;
using Depoxy.Emulator;
using Depoxy.Packaging;
using Depoxy.Packaging.Publishing;
using Depoxy.Sites;
using Depoxy.Terraform;

/// <summary>
/// Wires the deploy components to AWS (or to the emulator) for the targets of Build.Deploy.cs: it owns the clients,
/// picks where stage outputs and smoke tests come from, and prints what moved.
/// </summary>
sealed class Pipeline(string root, bool emulator, IEnumerable<string?> emulatedBuckets)
{
    EmulatorServer? _server;

    /// <summary>AWS as the SDK's default chain finds it; with --emulator, first the emulator, started or attached once.</summary>
    async Task<AwsEnvironment> AwsAsync()
    {
        if (emulator && _server is null)
        {
            _server = await EmulatorServer.StartOrAttachAsync(root);
            foreach (var (name, value) in _server.EnvironmentVariables) Environment.SetEnvironmentVariable(name, value);
            await new EmulatorSeeder(_server.Aws, root).SeedBucketsAsync(emulatedBuckets.OfType<string>());
        }
        return AwsEnvironment.FromProcess();
    }

    public async Task<StageLockLease> GuardAsync(string stage, string accountId, string artifactsBucket, string operation)
    {
        var aws = await AwsAsync();
        await new AccountGuard(new StsCallerIdentityProvider(aws)).EnsureAsync(stage, accountId);
        return await new StageLock(S3ClientFactory.Create(aws), artifactsBucket, stage).AcquireAsync(operation);
    }

    public async Task<bool> IsPublishedAsync(string artifactsBucket, string version)
    {
        try
        {
            await new ArtifactStore(S3ClientFactory.Create(await AwsAsync())).ReadManifestAsync(artifactsBucket, version);
            return true;
        }
        catch (PackagingException)
        {
            return false;
        }
    }

    /// <summary>Promote's first half: the version --from runs (or the one named, if it ran there), copied and verified.</summary>
    public async Task<(string Version, PublishReport Copy)> CopyReleaseAsync(string fromStage, string fromBucket, string toBucket, string? version)
    {
        var aws = await AwsAsync();
        var promotion = new Promotion(S3ClientFactory.Create(aws), S3ClientFactory.Create(aws));
        var promoted = await promotion.ResolveVersionAsync(fromStage, fromBucket, version);
        return (promoted, (await promotion.CopyAsync(fromBucket, toBucket, promoted)).Copy);
    }

    public async Task ShipAsync(string stage, string artifactsBucket, string version, string kind,
        ReleaseManifest? packaged, PublishReport? published, IReadOnlyList<StackOutputs> applied)
    {
        var aws = await AwsAsync();
        using var s3 = S3ClientFactory.Create(aws);
        var release = packaged ?? await new ArtifactStore(s3).ReadManifestAsync(artifactsBucket, version);
        var target = emulator ? await EmulatedStageAsync(stage, artifactsBucket, version) : StageTarget.FromOutputs(stage, artifactsBucket, applied);
        var result = await Flow(aws, s3).ReleaseAsync(target, release, kind);
        Log.Always($"{kind} {release.Version} → {stage}: {published?.BytesUploaded ?? 0:N0} artifact bytes and {result.SiteBytesUploaded:N0} site bytes uploaded, " +
                   $"Lambda version {result.Record.LambdaVersion}");
    }

    public async Task RollbackAsync(string stage, string artifactsBucket, string? version)
    {
        var aws = await AwsAsync();
        using var s3 = S3ClientFactory.Create(aws);
        var result = await Flow(aws, s3).RollbackAsync(stage, artifactsBucket, version);
        Log.Always($"Rollback → {stage}: {result.Record.Version} on Lambda version {result.Record.LambdaVersion}, {result.SiteBytesUploaded:N0} site bytes uploaded");
    }

    public async Task PrintReleasesAsync(string stage, string artifactsBucket)
    {
        var history = await new ReleaseLedger(S3ClientFactory.Create(await AwsAsync()), artifactsBucket, stage).GetHistoryAsync();
        Log.Always(history.Count == 0 ? $"{stage} has no releases yet" : ReleasesTable.ToPlainText(history));
        GitHubActions.AppendToStepSummary(ReleasesTable.ToMarkdown(history));
    }

    ReleaseFlow Flow(AwsEnvironment aws, Amazon.S3.IAmazonS3 s3)
    {
        var lambda = LambdaClient.Create(aws);
        var smokeTest = new SmokeTest(new HttpClient());
        ISmokeCheck smoke = emulator && _server is { } server
            ? new LocalApiSmokeCheck(s3, server, new EmulatorSeeder(server.Aws, root), smokeTest)
            : new PublicUrlSmokeCheck(smokeTest);
        return new ReleaseFlow(s3, LambdaReleaser.Create(lambda), new SiteSync(aws), smoke);
    }

    async Task<StageTarget> EmulatedStageAsync(string stage, string artifactsBucket, string version)
    {
        var seeder = new EmulatorSeeder(_server!.Aws, root);
        var (www, app, apiDistribution) = await seeder.SeedStageAsync(stage);
        var api = await seeder.EnsureFunctionAsync(stage, apiDistribution, artifactsBucket, version);
        return new StageTarget(stage, artifactsBucket, api, new Dictionary<string, SiteStackOutputs> { ["www"] = www, ["app"] = app });
    }
}
