using System.Net;
using Amazon.S3;
using Depoxy.Aws;
using Depoxy.Build.Engine;
using Depoxy.Packaging;
using Depoxy.Packaging.Publishing;
using Depoxy.Sites;
using Depoxy.Terraform;

namespace Depoxy.Deploy.Flows;

/// <summary>What one release moved: the ledger entry and the bytes the site sync uploaded.</summary>
public sealed record ReleaseResult(ReleaseRecord Record, long SiteBytesUploaded);

/// <summary>What the sites' sync did: bytes uploaded, and whether any file was written or deleted.</summary>
internal readonly record struct SitesSynced(long UploadedBytes, bool Changed);

/// <summary>
/// Ships a published release to a stage — Lambda alias, sites, smoke test, ledger — and rolls a stage back. A failed
/// smoke test moves the alias and the sites back to what ran before and records the failure.
/// </summary>
public sealed class ReleaseFlow(IAmazonS3 s3, LambdaReleaser lambda, SiteSync sites, ISmokeCheck smoke)
{
    public const string DeployKind = "Deploy";
    public const string PromoteKind = "Promote";

    /// <summary>Files of tf/ and modules/ that the stage's plans were made from uncommitted (dev, --allow-dirty); each ledger entry names them.</summary>
    public IReadOnlyList<string> UncommittedTerraform { get; init; } = [];

    /// <param name="infrastructureChanged">Whether this run's Terraform changed the stage; false lets a release that moves nothing be recorded as unchanged.</param>
    public async Task<ReleaseResult> ReleaseAsync(StageTarget stage, ReleaseManifest manifest, string kind, bool infrastructureChanged = true,
        CancellationToken cancellationToken = default)
    {
        var ledger = new ReleaseLedger(s3, stage.ArtifactsBucket, stage.Stage);
        var before = await ledger.GetCurrentAsync(cancellationToken);
        var api = manifest.Api ?? throw new DeployException($"release {manifest.Version} has no api artifact in its manifest: package and publish it again");
        // Checked before the first write: a site folder deleted from the repository must not take the stage's site down silently.
        if (stage.Sites.Keys.FirstOrDefault(site => !manifest.Artifacts.Any(a => a.Kind == ArtifactKinds.Site && a.Name == site)) is { } missing)
        {
            var reason = $"release {manifest.Version} has no {missing} site, but {stage.Stage} serves one (tf/{stage.Stage}/{missing}): restore {missing}/ and deploy again, or remove tf/{stage.Stage}/{missing} first";
            await ledger.RecordRefusedAsync(manifest.Version, kind, reason, manifest.Commit, cancellationToken);
            throw new DeployException(reason);
        }
        await stage.SaveAsync(s3, cancellationToken);

        LambdaRelease? release = null;
        SitesSynced synced = default;
        try
        {
            release = await lambda.ReleaseAsync(stage.Api.FunctionName, stage.Api.AliasName,
                new LambdaArtifact(stage.ArtifactsBucket, api.Key, api.Base64Sha256), manifest.Version, cancellationToken);
            synced = await SyncSitesAsync(stage, manifest, null, cancellationToken);
            await SmokeAsync(stage, manifest, cancellationToken);
        }
        catch (Exception failure)
        {
            // An interrupt (Ctrl+C, CI cancelling the job) fails the release like any error: live must not stay on a
            // version no smoke test passed, and the attempt goes in the ledger.
            var interrupted = cancellationToken.IsCancellationRequested;
            using var putBack = PutBackToken(interrupted);
            var restored = false;
            var reason = interrupted ? $"interrupted before {manifest.Version} passed its smoke test" : failure.Message;
            if (release is not null)
            {
                try
                {
                    restored = await RestoreAsync(stage, release, before, putBack.Token);
                }
                // The attempt is recorded and the original failure rethrown even when putting things back fails too.
                catch (Exception restoreFailure)
                {
                    reason += $"; putting {before?.Version ?? "the previous release"} back failed too: {restoreFailure.Message}";
                    Log.Error($"{stage.Stage}: {reason}");
                }
            }
            // Refused before the first Lambda write (the bytes or their hash file did not prove out): nothing changed.
            if (release is null && failure is HashMismatchException)
                await ledger.RecordRefusedAsync(manifest.Version, kind, reason, manifest.Commit, putBack.Token);
            else
                await ledger.RecordAsync(Record(stage, manifest, kind, restored ? ReleaseOutcome.RolledBack : ReleaseOutcome.Failed,
                    release?.LambdaVersion, reason), putBack.Token);
            throw;
        }
        var unchanged = !infrastructureChanged && release.Unchanged && !synced.Changed;
        var record = Record(stage, manifest, kind, ReleaseOutcome.Succeeded, release.LambdaVersion, null) with { Unchanged = unchanged };
        await ledger.RecordAsync(record, cancellationToken);
        Log.Info(unchanged
            ? $"{stage.Stage} runs {manifest.Version} unchanged: no Terraform change, alias {stage.Api.AliasName} stays on Lambda version {release.LambdaVersion}, no site file changed"
            : $"{stage.Stage} runs {manifest.Version}: alias {stage.Api.AliasName} → Lambda version {release.LambdaVersion} (CodeSha256 {release.CodeSha256})");
        return new ReleaseResult(record, synced.UploadedBytes);
    }

    /// <summary>Moves the alias to the Lambda version of an earlier successful release and re-syncs its sites. No Terraform.</summary>
    public async Task<ReleaseResult> RollbackAsync(string stageName, string artifactsBucket, string? version, CancellationToken cancellationToken = default)
    {
        var ledger = new ReleaseLedger(s3, artifactsBucket, stageName);
        var target = version is null
            ? await ledger.GetPreviousSuccessfulAsync(cancellationToken)
              ?? throw new DeployException($"{stageName} has no earlier successful release to roll back to: see ./build.sh Releases --stage {stageName}")
            : await ledger.FindSuccessfulAsync(version, cancellationToken)
              ?? throw new DeployException($"{version} was never released successfully to {stageName}: pick a version from ./build.sh Releases --stage {stageName}");
        var lambdaVersion = target.LambdaVersion
            ?? throw new DeployException($"the ledger entry of {target.Version} on {stageName} has no Lambda version: roll back with --version to another release");
        var stage = await StageTarget.LoadAsync(s3, stageName, artifactsBucket, cancellationToken);
        var manifest = await new ArtifactStore(s3).ReadManifestAsync(artifactsBucket, target.Version, cancellationToken);
        string? previous;
        try
        {
            // Proven before the alias moves, so an altered release leaves the stage as it is instead of half rolled back.
            await new ArtifactStore(s3).VerifyAsync(artifactsBucket, manifest, cancellationToken);
            await lambda.EnsureFunctionAsync(stage.Api.FunctionName, cancellationToken);
            previous = await lambda.MoveAliasAsync(stage.Api.FunctionName, stage.Api.AliasName, lambdaVersion, cancellationToken);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            // Nothing changed (the alias moves in one call, or not at all), but the ledger lists every attempt.
            await ledger.RecordRefusedAsync(target.Version, ReleaseLedger.RollbackKind,
                $"rolling {stageName} back to {target.Version} stopped before the alias moved: {failure.Message}", manifest.Commit, cancellationToken);
            throw;
        }
        Log.Info($"{stageName}: alias {stage.Api.AliasName} moved from Lambda version {previous} back to {lambdaVersion} ({target.Version})");
        long siteBytes;
        try
        {
            siteBytes = (await SyncSitesAsync(stage, manifest, target.Version, cancellationToken)).UploadedBytes;
            await SmokeAsync(stage, manifest, cancellationToken);
        }
        catch (Exception failure)
        {
            // Undone, not left half done: the alias goes back, and the sites of the release the stage ran are synced again.
            var interrupted = cancellationToken.IsCancellationRequested;
            using var putBack = PutBackToken(interrupted);
            var reason = $"rolling {stageName} back to {target.Version} {(interrupted ? "was interrupted" : "failed: " + failure.Message)}";
            var restored = false;
            try
            {
                await lambda.MoveAliasAsync(stage.Api.FunctionName, stage.Api.AliasName,
                    previous ?? throw new DeployException($"alias {stage.Api.AliasName} pointed at no version before the rollback"), putBack.Token);
                if (await ledger.GetCurrentAsync(putBack.Token) is { Outcome: ReleaseOutcome.Succeeded } current)
                    await SyncSitesAsync(stage, await new ArtifactStore(s3).ReadManifestAsync(artifactsBucket, current.Version, putBack.Token), current.Version, putBack.Token);
                restored = true;
                reason += $"; undone: alias {stage.Api.AliasName} is back on Lambda version {previous} and the sites on what ran before";
            }
            catch (Exception restoreFailure)
            {
                reason += $"; undoing it failed too ({restoreFailure.Message}): check ./build.sh Releases --stage {stageName} and roll back again";
            }
            await ledger.RecordAsync(Record(stage, manifest, ReleaseLedger.RollbackKind, restored ? ReleaseOutcome.RolledBack : ReleaseOutcome.Failed, lambdaVersion, reason), putBack.Token);
            if (interrupted) throw;
            throw new DeployException(reason);
        }
        var record = Record(stage, manifest, ReleaseLedger.RollbackKind, ReleaseOutcome.Succeeded, lambdaVersion, $"rolled back from Lambda version {previous}");
        await ledger.RecordAsync(record, cancellationToken);
        return new ReleaseResult(record, siteBytes);
    }

    /// <summary>
    /// The token that puts a stage back and records the attempt: never the run's own, which an interrupt cancels;
    /// after an interrupt it is bounded, so the run still ends before the build abandons it.
    /// </summary>
    private static CancellationTokenSource PutBackToken(bool interrupted)
    {
        var source = new CancellationTokenSource();
        if (interrupted) source.CancelAfter(InterruptedPutBackLimit);
        return source;
    }

    /// <summary>Below the build's one minute for an interrupted target to stop (BuildRunner.Executor.AbandonAfter).</summary>
    private static readonly TimeSpan InterruptedPutBackLimit = TimeSpan.FromSeconds(50);

    /// <param name="restoring">The recorded release whose sites are put back (a restore or a rollback), which may delete what a later release added.</param>
    private async Task<SitesSynced> SyncSitesAsync(StageTarget stage, ReleaseManifest manifest, string? restoring, CancellationToken cancellationToken)
    {
        var store = new ArtifactStore(s3);
        var scratch = Directory.CreateTempSubdirectory("depoxy-sites-");
        try
        {
            long uploaded = 0;
            var changed = false;
            foreach (var site in manifest.Artifacts.Where(a => a.Kind == ArtifactKinds.Site))
            {
                if (!stage.Sites.TryGetValue(site.Name, out var target))
                    throw new DeployException($"release {manifest.Version} has a site '{site.Name}' that {stage.Stage} has no stack for: add tf/{stage.Stage}/{site.Name}");
                var zip = Path.Combine(scratch.FullName, site.Name + ".zip");
                await store.DownloadVerifiedAsync(stage.ArtifactsBucket, site, zip, cancellationToken);
                var deployment = await DeploySiteAsync(stage, site.Name, WithStageFiles(stage, site.Name, zip), target, restoring, cancellationToken);
                uploaded += deployment.Sync.UploadedBytes;
                changed |= deployment.Sync.Changed;
            }
            return new SitesSynced(uploaded, changed);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    /// <summary>CloudFront's 404 names neither the site nor the stage: this says which distribution of which stage is gone, and how to get it back.</summary>
    private async Task<SiteDeployment> DeploySiteAsync(StageTarget stage, string site, string source, SiteStackOutputs target, string? restoring,
        CancellationToken cancellationToken)
    {
        try
        {
            return await sites.DeployAsync(source, target.BucketName, target.DistributionId, new SiteSyncOptions { RestoringRelease = restoring }, cancellationToken);
        }
        catch (AwsServiceException e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode == "NoSuchDistribution")
        {
            throw new DeployException(
                $"{stage.Stage}: CloudFront distribution {target.DistributionId} of the {site} site does not exist ({(int)e.StatusCode} {e.ErrorCode}): " +
                $"re-apply {stage.Stage}'s {site} stack (./build.sh Deploy --stage {stage.Stage} --stack {site}), then run again");
        }
    }

    /// <summary>
    /// The release's verified site, plus what only the stage knows: the app is told its API's URL in config.json
    /// (app and API are separate distributions, as the seed draws them). Sites without such files sync as zipped.
    /// </summary>
    private static string WithStageFiles(StageTarget stage, string site, string zip)
    {
        var files = stage.SiteFiles(site);
        if (files.Count == 0) return zip;
        var folder = Path.Combine(Path.GetDirectoryName(zip)!, site);
        System.IO.Compression.ZipFile.ExtractToDirectory(zip, folder);
        foreach (var (name, content) in files) File.WriteAllText(Path.Combine(folder, name), content);
        return folder;
    }

    private async Task SmokeAsync(StageTarget stage, ReleaseManifest manifest, CancellationToken cancellationToken)
    {
        var result = await smoke.RunAsync(stage, manifest, cancellationToken);
        if (!result.Passed)
            throw new DeployException($"smoke test of {stage.Stage} failed: {result.Detail}");
    }

    /// <summary>Puts back what ran before: the alias, and the sites of the stage's current release. True when the alias moved back.</summary>
    private async Task<bool> RestoreAsync(StageTarget stage, LambdaRelease release, ReleaseRecord? before, CancellationToken cancellationToken)
    {
        var restored = await lambda.RestoreAsync(release, cancellationToken);
        if (restored) Log.Warn($"{stage.Stage}: alias {release.Alias} moved back to Lambda version {release.PreviousVersion}");
        if (before is { Outcome: ReleaseOutcome.Succeeded })
        {
            var previous = await new ArtifactStore(s3).ReadManifestAsync(stage.ArtifactsBucket, before.Version, cancellationToken);
            await SyncSitesAsync(stage, previous, before.Version, cancellationToken);
            Log.Warn($"{stage.Stage}: sites re-synced to {before.Version}");
        }
        return restored;
    }

    private ReleaseRecord Record(StageTarget stage, ReleaseManifest manifest, string kind, ReleaseOutcome outcome, string? lambdaVersion, string? reason) =>
        ReleaseRecord.ForThisRun(stage.Stage, manifest.Version, outcome) with
        {
            Kind = kind,
            Commit = manifest.Commit,
            Hashes = manifest.Artifacts.Where(a => !a.InModulesBucket).ToDictionary(a => a.Key, a => a.Sha256),
            LambdaVersion = lambdaVersion,
            Reason = reason,
            UncommittedTerraform = UncommittedTerraform.Count > 0 ? UncommittedTerraform : null,
            CorrectedDrift = stage.CorrectedDrift is { Count: > 0 } drift ? drift : null,
            StateLineages = stage.StateLineages is { Count: > 0 } lineages ? lineages : null,
        };
}
