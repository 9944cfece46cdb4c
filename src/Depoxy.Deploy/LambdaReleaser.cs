using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Depoxy.Aws;
using Depoxy.Aws.Lambda;
using Depoxy.Build.Engine;
using Depoxy.Packaging;

namespace Depoxy.Deploy;

/// <summary>The API zip as published: where it lies and Lambda's form of its hash (base64 SHA-256).</summary>
public sealed record LambdaArtifact(string Bucket, string Key, string Base64Sha256)
{
    public override string ToString() => $"s3://{Bucket}/{Key}";
}

/// <summary>What a release did: the version now behind the alias and the one it replaced (null if the alias is new).</summary>
public sealed record LambdaRelease(string FunctionName, string Alias, string LambdaVersion, string CodeSha256, string? PreviousVersion, bool CodeUpdated)
{
    /// <summary>
    /// Lambda published nothing new and the alias stayed: PublishVersion answers with the latest version when neither
    /// code nor configuration changed since it, as AWS documents, and the alias was already on it.
    /// </summary>
    public bool Unchanged => !CodeUpdated && PreviousVersion == LambdaVersion;
}

public sealed class HashMismatchException(string message) : Exception(message);

/// <summary>A Lambda call failed; the message names the function, the stage and the fix instead of Lambda's raw answer.</summary>
public sealed class LambdaReleaseException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// Puts an artifact live on a function: prove the artifact's bytes in the bucket before any Lambda call, update the
/// code only if Terraform did not, prove the function runs exactly the artifact, publish that code as a version, and
/// move the alias onto it, remembering where the alias was.
/// </summary>
public sealed class LambdaReleaser
{
    private readonly ILambdaClient _lambda;
    private readonly LambdaWaiter _waiter;
    private readonly IAmazonS3 _artifacts;
    private readonly string _stage;

    /// <param name="artifacts">Reads the artifacts bucket, whose bytes are checked before any Lambda write.</param>
    /// <param name="stage">Named in every error.</param>
    public LambdaReleaser(ILambdaClient lambda, LambdaWaiter waiter, IAmazonS3 artifacts, string stage)
    {
        _lambda = lambda;
        _waiter = waiter;
        _artifacts = artifacts;
        _stage = stage;
    }

    /// <summary>A releaser whose waiters sleep with the client's <see cref="LambdaClientOptions.Delay"/>.</summary>
    public static LambdaReleaser Create(LambdaClient lambda, IAmazonS3 artifacts, string stage) =>
        new(lambda, new LambdaWaiter(lambda, lambda.Options.Delay), artifacts, stage);

    /// <summary>Reads the function, so a flow that creates nothing (Rollback) stops before its first write when the function is gone.</summary>
    public async Task EnsureFunctionAsync(string functionName, CancellationToken cancellationToken = default) =>
        await Explained(functionName, "read", () => _lambda.GetFunctionAsync(functionName, cancellationToken: cancellationToken));

    public async Task<LambdaRelease> ReleaseAsync(string functionName, string alias, LambdaArtifact artifact, string? description = null,
        CancellationToken cancellationToken = default)
    {
        // Before any Lambda call, so tampered or incomplete bytes never reach $LATEST.
        await VerifyArtifactAsync(artifact, cancellationToken);
        var configuration = (await Explained(functionName, "read", () => _lambda.GetFunctionAsync(functionName, cancellationToken: cancellationToken))).Configuration;
        if (configuration.LastUpdateStatus == "InProgress")
        {
            Log.Info($"Lambda {functionName}: an update is in progress (Terraform's), waiting for it before comparing hashes");
            configuration = await Explained(functionName, "wait for the update of", () => _waiter.FunctionUpdatedV2Async(functionName, cancellationToken: cancellationToken));
        }

        var codeUpdated = configuration.CodeSha256 != artifact.Base64Sha256;
        if (codeUpdated)
        {
            Log.Info($"Lambda {functionName}: runs {configuration.CodeSha256}, artifact is {artifact.Base64Sha256}; updating the code from {artifact}");
            var revision = configuration.RevisionId;
            await Explained(functionName, "update the code of", () => _lambda.UpdateFunctionCodeAsync(
                new UpdateFunctionCodeRequest(functionName, artifact.Bucket, artifact.Key) { RevisionId = revision }, cancellationToken));
        }
        else
        {
            Log.Info($"Lambda {functionName}: already runs {artifact} ({artifact.Base64Sha256}), code left as it is");
        }
        configuration = await Explained(functionName, "wait for the update of", () => _waiter.FunctionUpdatedV2Async(functionName, cancellationToken: cancellationToken));

        if (configuration.CodeSha256 != artifact.Base64Sha256)
            throw new HashMismatchException(
                $"hash mismatch: Lambda {functionName} runs CodeSha256 {configuration.CodeSha256} but {artifact} is {artifact.Base64Sha256}; " +
                $"nothing was published and alias {alias} was not moved");

        var request = new PublishVersionRequest(functionName)
        {
            CodeSha256 = artifact.Base64Sha256,
            RevisionId = configuration.RevisionId,
            Description = description,
        };
        var published = await Explained(functionName, "publish a version of", () => _lambda.PublishVersionAsync(request, cancellationToken));
        await Explained(functionName, "wait for the new version of", () => _waiter.PublishedVersionActiveAsync(functionName, published.Version, cancellationToken: cancellationToken));
        Log.Info($"Lambda {functionName}: published version {published.Version}");

        var previous = await MoveAliasAsync(functionName, alias, published.Version, cancellationToken);
        return new LambdaRelease(functionName, alias, published.Version, published.CodeSha256, previous, codeUpdated);
    }

    /// <summary>Points the alias at <paramref name="version"/> (creating it if missing); returns the version it pointed at before.</summary>
    public async Task<string?> MoveAliasAsync(string functionName, string alias, string version, CancellationToken cancellationToken = default)
    {
        var current = await Explained(functionName, $"read alias {alias} of", () => _lambda.GetAliasAsync(functionName, alias, cancellationToken));
        if (current is null)
        {
            await Explained(functionName, $"create alias {alias} on version {version} of", () => _lambda.CreateAliasAsync(functionName, alias, version, cancellationToken: cancellationToken), version);
            Log.Info($"Lambda {functionName}: created alias {alias} on version {version}");
            return null;
        }
        if (current.FunctionVersion != version)
        {
            await Explained(functionName, $"move alias {alias} to version {version} of",
                () => _lambda.UpdateAliasAsync(functionName, alias, version, current.RevisionId, cancellationToken), version);
            Log.Info($"Lambda {functionName}: moved alias {alias} from version {current.FunctionVersion} to {version}");
        }
        else
        {
            Log.Info($"Lambda {functionName}: alias {alias} already on version {version}");
        }
        return current.FunctionVersion;
    }

    /// <summary>
    /// Moves the alias back where <paramref name="release"/> found it (after a failed smoke test). False when there is
    /// nowhere to go back to: the alias was created by that release.
    /// </summary>
    public async Task<bool> RestoreAsync(LambdaRelease release, CancellationToken cancellationToken = default)
    {
        if (release.PreviousVersion is null)
        {
            Log.Warn($"Lambda {release.FunctionName}: alias {release.Alias} was created by this release, there is no earlier version to restore");
            return false;
        }
        await MoveAliasAsync(release.FunctionName, release.Alias, release.PreviousVersion, cancellationToken);
        Log.Info($"Lambda {release.FunctionName}: alias {release.Alias} restored to version {release.PreviousVersion}");
        return true;
    }

    /// <summary>
    /// The artifact in the bucket, read back: its bytes must hash to the release's expected hash, and the
    /// <c>.base64sha256</c> object beside it, which Terraform reads, must hold that same hash.
    /// </summary>
    private async Task VerifyArtifactAsync(LambdaArtifact artifact, CancellationToken cancellationToken)
    {
        var bytes = await ReadArtifactAsync(artifact.Bucket, artifact.Key, "the release is incomplete: publish it again", cancellationToken);
        var actual = Convert.ToBase64String(SHA256.HashData(bytes));
        if (actual != artifact.Base64Sha256)
            throw new HashMismatchException(
                $"hash mismatch: {artifact} hashes to {actual} but the release expects {artifact.Base64Sha256}; the object was altered after publishing, " +
                $"so no Lambda call was made and {_stage} runs what it ran: publish the release again under a new version");
        var hashKey = artifact.Key + FileDigest.HashFileSuffix;
        var recorded = Encoding.UTF8.GetString(await ReadArtifactAsync(artifact.Bucket, hashKey,
            $"Terraform reads the code hash from it: {RepublishFix}", cancellationToken)).Trim();
        if (recorded != artifact.Base64Sha256)
            throw new HashMismatchException(
                $"hash mismatch: s3://{artifact.Bucket}/{hashKey} holds '{recorded}' but the release expects {artifact.Base64Sha256}; " +
                $"no Lambda call was made and {_stage} runs what it ran: publish the release again under a new version");
        Log.Info($"Verified {artifact} against the release's hash {artifact.Base64Sha256} before any Lambda call");
    }

    /// <summary>Publish puts back what a published release lacks; prod's artifacts arrive only by Promote's copy.</summary>
    private string RepublishFix => _stage == "prod"
        ? "promote the release to prod again (./build.sh Promote --from dev --to prod --version <its version>)"
        : $"publish the release again from its commit (./build.sh Publish --stage {_stage}), which uploads only what is missing";

    private async Task<byte[]> ReadArtifactAsync(string bucket, string key, string fix, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _artifacts.GetObjectAsync(bucket, key, cancellationToken);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, cancellationToken);
            return buffer.ToArray();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new HashMismatchException($"s3://{bucket}/{key} is missing, so no Lambda call was made and {_stage} runs what it ran: {fix}");
        }
    }

    private Task Explained(string functionName, string operation, Func<Task> call, string? version = null) =>
        Explained(functionName, operation, async () =>
        {
            await call();
            return true;
        }, version);

    /// <summary>Runs one Lambda call, turning Lambda's raw error into one line naming the function, the stage and the fix.</summary>
    private async Task<T> Explained<T>(string functionName, string operation, Func<Task<T>> call, string? version = null)
    {
        try
        {
            return await call();
        }
        catch (AwsServiceException e)
        {
            var fix = (e.StatusCode, e.ErrorCode) switch
            {
                (HttpStatusCode.NotFound, _) when version is not null =>
                    $"Lambda version {version} no longer exists or the function is gone; pick a release whose version exists from ./build.sh Releases --stage {_stage} and pass it as --version",
                (HttpStatusCode.NotFound, _) =>
                    $"the function does not exist; apply {_stage}'s api stack (./build.sh Deploy --stage {_stage}) or check the function name in its outputs",
                (HttpStatusCode.Forbidden, _) or (_, "AccessDeniedException") =>
                    $"the credentials may not {operation.Split(' ')[0]} it; check the Lambda permissions of {_stage}'s apply role",
                (HttpStatusCode.Conflict, _) => "another update of the function is running; wait for it to finish and run again",
                (HttpStatusCode.TooManyRequests, _) => "Lambda is throttling this account; run again in a few minutes",
                _ => "check the function in the Lambda console and run again",
            };
            throw new LambdaReleaseException($"{_stage}: could not {operation} Lambda {functionName} ({(int)e.StatusCode} {e.ErrorCode}: {e.Detail}): {fix}", e);
        }
    }
}
