using Depoxy.Aws;
using Depoxy.Aws.Lambda;
using Depoxy.Aws.Sts;
using Depoxy.Build.Engine;
using Depoxy.Deploy;
using Depoxy.Deploy.Flows;
using Depoxy.Deploy.Metrics;
using Depoxy.Emulator;
using Depoxy.GitHub;
using Depoxy.Packaging;
using Depoxy.Packaging.Publishing;
using Depoxy.Sites;
using Depoxy.Terraform;

/// <summary>
/// Wires the components to the run's <see cref="Cloud"/> (AWS, or the emulator) for the targets: it owns the clients,
/// picks how smoke tests run, and prints what moved. Every target goes through it, alone or in a chain.
/// </summary>
sealed class Pipeline(string root, Func<CancellationToken, Task<Cloud>> connect, Func<CancellationToken> cancellation)
{
    private Task<Cloud>? _cloud;

    /// <summary>The running target's token: SIGINT or SIGTERM cancels it (the engine then runs Unlock with a fresh one).</summary>
    private CancellationToken Token => cancellation();

    private Task<Cloud> CloudAsync() => _cloud ??= connect(Token);

    public async Task<StageLockLease> GuardAsync(string stage, string accountId, string artifactsBucket, string operation)
    {
        var aws = (await CloudAsync()).Aws;
        await new AccountGuard(new StsCallerIdentityProvider(aws)).EnsureAsync(stage, accountId, Token);
        return await new StageLock(S3ClientFactory.Create(aws), artifactsBucket, stage).AcquireAsync(operation, Token);
    }

    /// <summary>
    /// Unlock: when a step before the release stopped the attempt (the release records its own outcome), the ledger
    /// gets it first, so it lists every attempt that held the lock; then the lock is released, whatever the ledger said.
    /// </summary>
    public async Task UnlockAsync(StageLockLease? lease, string stage, string artifactsBucket, string? version, ExecutableTarget? stopped)
    {
        if (lease is null) return;
        try
        {
            if (stopped is not null)
            {
                using var s3 = S3ClientFactory.Create((await CloudAsync()).Aws);
                await StoppedAttempt.RecordAsync(new ReleaseLedger(s3, artifactsBucket, stage), lease.Holder.Operation, stopped.Name,
                    stopped.Note ?? stopped.Status.ToString(), version ?? AttemptedVersion(stage, lease.Holder), Token);
            }
        }
        finally
        {
            await lease.ReleaseAsync();
        }
    }

    /// <summary>
    /// The version the attempt was shipping: artifacts/release.json, else the package of artifacts/manifest.json, when
    /// this attempt wrote them (after it took the lock) or, for an apply job, its plan job did.
    /// </summary>
    private string? AttemptedVersion(string stage, StageLockHolder holder)
    {
        bool OfThisAttempt(string file) => File.Exists(file)
            && (holder.Operation.StartsWith("Apply", StringComparison.Ordinal) || File.GetLastWriteTimeUtc(file) >= holder.Since.UtcDateTime);
        if (OfThisAttempt(ChosenRelease.FileIn(ArtifactsDirectory)))
            try
            {
                return ChosenRelease.Read(ArtifactsDirectory, stage).Version;
            }
            catch (Exception e) when (e is DeployException or System.Text.Json.JsonException)
            {
                // Chosen for another stage, or unreadable: not this attempt's.
            }
        var manifest = Path.Combine(ArtifactsDirectory, ReleaseManifest.FileName);
        return OfThisAttempt(manifest) ? ReleaseManifest.Load(manifest).Version : null;
    }

    /// <summary>Breaks the stage lock of a dead run, then terraform's state locks that run left (never while the stage lock's holder is alive).</summary>
    public async Task BreakLockAsync(string stage, string accountId, string artifactsBucket, string stateBucket)
    {
        var aws = (await CloudAsync()).Aws;
        await new AccountGuard(new StsCallerIdentityProvider(aws)).EnsureAsync(stage, accountId, Token);
        using var s3 = S3ClientFactory.Create(aws);
        var broken = await new StageLock(s3, artifactsBucket, stage).BreakAsync(Token);
        Log.Always(broken is null ? $"{stage} is not locked" : $"Broke the lock of {stage} held by {broken}");
        var stateLocks = await new StateLocks(s3, stateBucket).BreakAsync(stage, Token);
        foreach (var held in stateLocks) Log.Always($"Broke terraform's state lock s3://{stateBucket}/{held}");
        if (stateLocks.Count == 0) Log.Always($"{stage}'s states are not locked");
    }

    /// <summary>Says so before a run waits on terraform's state lock of one of its stacks, naming the lock and the fix.</summary>
    private async Task WarnOfStateLocksAsync(TerraformSettings settings, string stage, string? stack)
    {
        var stateBucket = settings.StateBucket;
        using var s3 = S3ClientFactory.Create((await CloudAsync()).Aws);
        var keys = TerraformStack.Select(stage, stack).Select(s => s.StateKey + StateLocks.Suffix).ToHashSet();
        foreach (var held in (await new StateLocks(s3, stateBucket).ListAsync(stage, Token)).Where(l => keys.Contains(l.Key)))
            Log.Warn($"terraform's state lock s3://{stateBucket}/{held} is held: waiting up to {settings.LockTimeout} for it; " +
                     $"if that run is dead, stop this one and run ./build.sh BreakLock --stage {stage}");
    }

    /// <summary>RestoreState: the last good version of each selected stack's state back over its key, for a state lost or replaced.</summary>
    public async Task RestoreStateAsync(string stage, string? stack, string stateBucket, string artifactsBucket)
    {
        using var s3 = S3ClientFactory.Create((await CloudAsync()).Aws);
        var lineages = (await new ReleaseLedger(s3, artifactsBucket, stage).GetCurrentAsync(Token))?.StateLineages ?? new Dictionary<string, string>();
        var history = new StateHistory(s3, stateBucket);
        foreach (var selected in TerraformStack.Select(stage, stack))
        {
            var restored = await history.RestoreAsync(selected, lineages.GetValueOrDefault(selected.Name), Token);
            Log.Always(restored is null
                ? $"{selected}: s3://{stateBucket}/{selected.StateKey} already holds its last good state; nothing restored"
                : $"{selected}: restored s3://{stateBucket}/{selected.StateKey} from {restored}; plan the stage again to see what differs");
        }
    }

    private string ArtifactsDirectory => Path.Combine(root, "artifacts");

    /// <summary>
    /// Package: builds artifacts/ from this commit, or, for a Deploy of a version the stage's bucket already holds,
    /// takes that release's manifest instead (build once, deploy many).
    /// </summary>
    public async Task PackageAsync(string? version, bool allowDirty, string? reuseFromBucket, string? apiBuildCache)
    {
        var options = new PackageOptions(version, allowDirty, ApiBuildCache: apiBuildCache);
        if (reuseFromBucket is null) await PackagingFlow.PackageAsync(root, options, Token);
        else await PackagingFlow.PackageOrReuseAsync(root, options, reuseFromBucket, (await CloudAsync()).Aws, Token);
    }

    public async Task PublishAsync(string artifactsBucket)
    {
        if (await PackagingFlow.PublishAsync(root, artifactsBucket, (await CloudAsync()).Aws, Token) is { } report)
            Log.Always($"Published {report.BytesUploaded:N0} artifact bytes to s3://{artifactsBucket}");
    }

    public async Task PublishModulesAsync(string modulesBucket, string artifactsBucket) =>
        await PackagingFlow.PublishModulesAsync(root, modulesBucket, artifactsBucket, (await CloudAsync()).Aws, Token);

    public async Task CheckModuleVersionsAsync(string modulesBucket) =>
        await PackagingFlow.CheckModuleVersionsAsync(root, modulesBucket, (await CloudAsync()).Aws);

    /// <summary>Writes artifacts/release.json: the release this run ships or plans against.</summary>
    public async Task ChooseReleaseAsync(string stage, string artifactsBucket, string? fromStage, string? fromBucket, string? version, ReleaseSource source)
    {
        using var s3 = S3ClientFactory.Create((await CloudAsync()).Aws);
        var manifestFile = Path.Combine(ArtifactsDirectory, ReleaseManifest.FileName);
        ChosenRelease chosen;
        if (source == ReleaseSource.Promotion)
        {
            if (fromStage is null || fromBucket is null)
                throw new DeployException("a promotion needs --from and --to, and --from's artifacts bucket in .nuke/parameters.<from>.json");
            (chosen, var manifest) = await ChosenRelease.ForPromotionAsync(s3, fromStage, fromBucket, stage, version, Token);
            manifest.Save(manifestFile);
        }
        else if (source == ReleaseSource.Package)
            chosen = ChosenRelease.ForDeploy(stage, ReleaseManifest.Load(manifestFile));
        else
            chosen = await ChosenRelease.ForPlanAsync(s3, stage, artifactsBucket, version, Token);
        chosen.Write(ArtifactsDirectory);
        Log.Always($"{stage}: {chosen.Kind.ToLowerInvariant()} of release {chosen.Version} (api.zip base64 sha256 {chosen.ApiBase64Sha256})");
    }

    /// <summary>A runner for the stage's stacks, planning or applying the release of artifacts/release.json.</summary>
    private async Task<TerraformRunner> TerraformAsync(string stage, string stateBucket, string artifactsBucket, string region, bool lockState = true,
        IReadOnlyList<string>? uncommitted = null)
    {
        var cloud = await CloudAsync();
        var release = ChosenRelease.Read(ArtifactsDirectory, stage);
        var commit = await GitCommit.ResolveAsync(root);
        using var s3 = S3ClientFactory.Create(cloud.Aws);
        var settings = new TerraformSettings(root, stateBucket, artifactsBucket, region, release.Version, commit)
        {
            SourceCodeHash = release.ApiBase64Sha256,
            LockState = lockState,
            Uncommitted = uncommitted ?? [],
            Released = await new ReleaseLedger(s3, artifactsBucket, stage).GetCurrentAsync(Token) is { } current
                ? new RecordedRelease(stage, current.Version, current.StateLineages ?? new Dictionary<string, string>())
                : null,
        };
        return new TerraformRunner(await cloud.TerraformSettingsAsync(settings, default), cloud.TerraformCli());
    }

    public async Task PlanAsync(string stage, string? stack, string stateBucket, string artifactsBucket, string region, bool lockState, bool allowDirty,
        string? gitHubToken)
    {
        var uncommitted = await CommittedTerraform.EnsureAsync(root, stage, allowDirty, "plan", Token);
        var runner = await TerraformAsync(stage, stateBucket, artifactsBucket, region, lockState, uncommitted);
        if (lockState) await WarnOfStateLocksAsync(runner.Settings, stage, stack);
        var planned = await runner.PlanAsync(TerraformStack.Select(stage, stack), Token);
        var comments = PlanCommentPublisher.FromEnvironment(gitHubToken);
        foreach (var plan in planned)
            await comments.PublishAsync(plan.Stack.Stage, plan.Stack.Name, await File.ReadAllTextAsync(plan.SummaryFile), writeStepSummary: false);
    }

    public async Task ApplyAsync(string stage, string? stack, string stateBucket, string artifactsBucket, string region, bool allowDirty)
    {
        await CommittedTerraform.EnsureAsync(root, stage, allowDirty, "apply", Token);
        var runner = await TerraformAsync(stage, stateBucket, artifactsBucket, region);
        var stacks = TerraformStack.Select(stage, stack);
        CommittedTerraform.EnsureSealsApplicable(stage, allowDirty, SealsOf(runner.Settings, stacks));
        await WarnOfStateLocksAsync(runner.Settings, stage, stack);
        await runner.ApplyAsync(stacks, Token);
    }

    /// <summary>The seals the plan job left for <paramref name="stacks"/> (the missing ones are the runner's to name).</summary>
    private static IEnumerable<PlanSeal> SealsOf(TerraformSettings settings, IEnumerable<TerraformStack> stacks) =>
        stacks.Where(s => File.Exists(settings.SealFile(s))).Select(s => PlanSeal.Read(settings.SealFile(s)));

    /// <summary>
    /// tf/ci planned read-only and lock-free with the names the account was applied with, for pull requests that change
    /// it; its roles trust <paramref name="repository"/>, which the caller names (the build refuses to run without one).
    /// </summary>
    public async Task PlanCiAsync(string repository, string stateBucket, string region, string? gitHubToken)
    {
        var cloud = await CloudAsync();
        var commit = await GitCommit.ResolveAsync(root);
        var settings = new TerraformSettings(root, stateBucket, "", region, "ci", commit)
        {
            LockState = false,
            CiVariables = new Dictionary<string, string>
            {
                ["github-repository"] = repository,
                ["region"] = region,
            },
        };
        var plan = await new TerraformRunner(settings, cloud.TerraformCli()).PlanAsync(TerraformStack.Ci, cancellationToken: Token);
        await PlanCommentPublisher.FromEnvironment(gitHubToken).PublishAsync("tf", "ci", await File.ReadAllTextAsync(plan.SummaryFile), writeStepSummary: false);
    }

    /// <summary>Promote's copy: the release artifacts/release.json names, proven in its source bucket and copied, verified.</summary>
    public async Task CopyReleaseAsync(string stage, string artifactsBucket)
    {
        var release = ChosenRelease.Read(ArtifactsDirectory, stage);
        if (release.SourceBucket is null)
            throw new DeployException($"artifacts/release.json names no source stage for {stage}: run PlanPromote (or Promote) with --from and --to");
        var aws = (await CloudAsync()).Aws;
        var (_, copy) = await new Promotion(S3ClientFactory.Create(aws), S3ClientFactory.Create(aws)).CopyAsync(release.SourceBucket, artifactsBucket, release.Version, Token);
        Log.Always($"Promoting {release.Version} from {release.SourceStage} to {stage}: {copy.BytesUploaded:N0} artifact bytes uploaded");
    }

    /// <summary>Releases artifacts/release.json to the stage: the outputs of its three stacks, from Apply's files or the state.</summary>
    /// <param name="terraformRan">False when --skip left out Plan and Apply: the run then says what it ships.</param>
    public async Task ShipAsync(string stage, string artifactsBucket, string stateBucket, string region, bool terraformRan)
    {
        var cloud = await CloudAsync();
        var chosen = ChosenRelease.Read(ArtifactsDirectory, stage);
        var runner = await TerraformAsync(stage, stateBucket, artifactsBucket, region);
        var outputs = await runner.StageOutputsAsync(stage, Token);
        using var s3 = S3ClientFactory.Create(cloud.Aws);
        var release = await new ArtifactStore(s3).ReadManifestAsync(artifactsBucket, chosen.Version, Token);
        if (!terraformRan) Log.Warn(SkippedTerraform.Describe(stage, release, await GitCommit.ResolveAsync(root, Token)));
        var target = StageTarget.FromOutputs(stage, artifactsBucket, outputs) with
        {
            CorrectedDrift = runner.TakeCorrectedDrift(stage),
            StateLineages = await runner.StateLineagesAsync(stage, Token),
        };
        var uncommitted = SealsOf(runner.Settings, TerraformStack.Select(stage, null)).SelectMany(s => s.Uncommitted ?? []).Distinct().ToList();
        var result = await Flow(cloud, s3, stage, uncommitted).ReleaseAsync(target, release, chosen.Kind, terraformRan && runner.PlannedChanges(stage), Token);
        Log.Always($"{chosen.Kind} {release.Version} → {stage}: {result.SiteBytesUploaded:N0} site bytes uploaded, Lambda version {result.Record.LambdaVersion}");
    }

    public async Task RollbackAsync(string stage, string artifactsBucket, string? version)
    {
        var cloud = await CloudAsync();
        using var s3 = S3ClientFactory.Create(cloud.Aws);
        var result = await Flow(cloud, s3, stage).RollbackAsync(stage, artifactsBucket, version, Token);
        Log.Always($"Rollback → {stage}: {result.Record.Version} on Lambda version {result.Record.LambdaVersion}, {result.SiteBytesUploaded:N0} site bytes uploaded");
    }

    public async Task PrintReleasesAsync(string stage, string artifactsBucket)
    {
        var history = await new ReleaseLedger(S3ClientFactory.Create((await CloudAsync()).Aws), artifactsBucket, stage).GetHistoryAsync();
        Log.Always(history.Count == 0 ? $"{stage} has no releases yet" : ReleasesTable.ToPlainText(history));
        GitHubActions.AppendToStepSummary(ReleasesTable.ToMarkdown(history));
    }

    public async Task MetricsAsync(string stage, string artifactsBucket, MetricsWindow window)
    {
        using var s3 = S3ClientFactory.Create((await CloudAsync()).Aws);
        await MetricsFlow.RunAsync(new ReleaseLedger(s3, artifactsBucket, stage), root, ArtifactsDirectory, window, Token);
    }

    private static ReleaseFlow Flow(Cloud cloud, Amazon.S3.IAmazonS3 s3, string stage, IReadOnlyList<string>? uncommittedTerraform = null)
    {
        var lambda = LambdaClient.Create(cloud.Aws);
        var smokeTest = new SmokeTest(new HttpClient());
        // The local smoke test stands in for an HTTPS request to the stage's URL: its reads are the emulator's, not the pipeline's.
        ISmokeCheck smoke = cloud.Emulator is { } server
            ? new LocalApiSmokeCheck(S3ClientFactory.Create(server.Aws), LambdaClient.Create(server.Aws), server, smokeTest)
            : new PublicUrlSmokeCheck(smokeTest);
        return new ReleaseFlow(s3, LambdaReleaser.Create(lambda, s3, stage), new SiteSync(cloud.Aws), smoke) { UncommittedTerraform = uncommittedTerraform ?? [] };
    }
}
