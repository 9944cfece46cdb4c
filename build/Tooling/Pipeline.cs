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
/// Wires the components to the run's <see cref="Cloud"/> (AWS, or the emulator) for the targets: it owns the clients,
/// picks how smoke tests run, and prints what moved. Every target goes through it, alone or in a chain.
/// </summary>
sealed class Pipeline(string root, Func<CancellationToken, Task<Cloud>> connect)
{
    private Task<Cloud>? _cloud;

    private Task<Cloud> CloudAsync(CancellationToken cancellationToken = default) => _cloud ??= connect(cancellationToken);

    public async Task<StageLockLease> GuardAsync(string stage, string accountId, string artifactsBucket, string operation)
    {
        var aws = (await CloudAsync()).Aws;
        await new AccountGuard(new StsCallerIdentityProvider(aws)).EnsureAsync(stage, accountId);
        return await new StageLock(S3ClientFactory.Create(aws), artifactsBucket, stage).AcquireAsync(operation);
    }

    public async Task<bool> IsPublishedAsync(string artifactsBucket, string version)
    {
        try
        {
            await new ArtifactStore(S3ClientFactory.Create((await CloudAsync()).Aws)).ReadManifestAsync(artifactsBucket, version);
            return true;
        }
        catch (PackagingException)
        {
            return false;
        }
    }

    public async Task<PublishReport> PublishAsync(string artifactsBucket) =>
        await PackagingFlow.PublishAsync(root, artifactsBucket, (await CloudAsync()).Aws);

    public async Task<PublishReport> PublishModulesAsync(string modulesBucket) =>
        await PackagingFlow.PublishModulesAsync(root, modulesBucket, (await CloudAsync()).Aws);

    public async Task CheckModuleVersionsAsync(string modulesBucket) =>
        await PackagingFlow.CheckModuleVersionsAsync(root, modulesBucket, (await CloudAsync()).Aws);

    /// <summary>A runner for the stage's stacks, with the commit from git and the cloud's terraform environment.</summary>
    public async Task<TerraformRunner> TerraformAsync(string stateBucket, string artifactsBucket, string region, string version)
    {
        var cloud = await CloudAsync();
        var commit = await GitCommit.ResolveAsync(root);
        var settings = await cloud.TerraformSettingsAsync(new TerraformSettings(root, stateBucket, artifactsBucket, region, version, commit), default);
        return new TerraformRunner(settings, cloud.TerraformCli());
    }

    /// <summary>Promote's first half: the version --from runs (or the one named, if it ran there), copied and verified.</summary>
    public async Task<(string Version, PublishReport Copy)> CopyReleaseAsync(string fromStage, string fromBucket, string toBucket, string? version)
    {
        var aws = (await CloudAsync()).Aws;
        var promotion = new Promotion(S3ClientFactory.Create(aws), S3ClientFactory.Create(aws));
        var promoted = await promotion.ResolveVersionAsync(fromStage, fromBucket, version);
        return (promoted, (await promotion.CopyAsync(fromBucket, toBucket, promoted)).Copy);
    }

    public async Task ShipAsync(string stage, string artifactsBucket, string version, string kind,
        ReleaseManifest? packaged, PublishReport? published, IReadOnlyList<StackOutputs> applied)
    {
        var cloud = await CloudAsync();
        using var s3 = S3ClientFactory.Create(cloud.Aws);
        var release = packaged ?? await new ArtifactStore(s3).ReadManifestAsync(artifactsBucket, version);
        var target = StageTarget.FromOutputs(stage, artifactsBucket, applied);
        var result = await Flow(cloud, s3).ReleaseAsync(target, release, kind);
        Log.Always($"{kind} {release.Version} → {stage}: {published?.BytesUploaded ?? 0:N0} artifact bytes and {result.SiteBytesUploaded:N0} site bytes uploaded, " +
                   $"Lambda version {result.Record.LambdaVersion}");
    }

    public async Task RollbackAsync(string stage, string artifactsBucket, string? version)
    {
        var cloud = await CloudAsync();
        using var s3 = S3ClientFactory.Create(cloud.Aws);
        var result = await Flow(cloud, s3).RollbackAsync(stage, artifactsBucket, version);
        Log.Always($"Rollback → {stage}: {result.Record.Version} on Lambda version {result.Record.LambdaVersion}, {result.SiteBytesUploaded:N0} site bytes uploaded");
    }

    public async Task PrintReleasesAsync(string stage, string artifactsBucket)
    {
        var history = await new ReleaseLedger(S3ClientFactory.Create((await CloudAsync()).Aws), artifactsBucket, stage).GetHistoryAsync();
        Log.Always(history.Count == 0 ? $"{stage} has no releases yet" : ReleasesTable.ToPlainText(history));
        GitHubActions.AppendToStepSummary(ReleasesTable.ToMarkdown(history));
    }

    private static ReleaseFlow Flow(Cloud cloud, Amazon.S3.IAmazonS3 s3)
    {
        var lambda = LambdaClient.Create(cloud.Aws);
        var smokeTest = new SmokeTest(new HttpClient());
        ISmokeCheck smoke = cloud.Emulator is { } server
            ? new LocalApiSmokeCheck(s3, lambda, server, smokeTest)
            : new PublicUrlSmokeCheck(smokeTest);
        return new ReleaseFlow(s3, LambdaReleaser.Create(lambda), new SiteSync(cloud.Aws), smoke);
    }
}
