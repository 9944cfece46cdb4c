using Depoxy.Aws.Lambda;
using Depoxy.Build.Engine;

namespace Depoxy.Deploy;

/// <summary>The API zip as published: where it lies and Lambda's form of its hash (base64 SHA-256).</summary>
public sealed record LambdaArtifact(string Bucket, string Key, string Base64Sha256)
{
    public override string ToString() => $"s3://{Bucket}/{Key}";
}

/// <summary>What a release did: the version now behind the alias and the one it replaced (null if the alias is new).</summary>
public sealed record LambdaRelease(string FunctionName, string Alias, string LambdaVersion, string CodeSha256, string? PreviousVersion, bool CodeUpdated);

public sealed class HashMismatchException(string message) : Exception(message);

/// <summary>
/// Puts an artifact live on a function: update the code only if Terraform did not, prove the function runs exactly
/// the artifact, publish that code as a version, and move the alias onto it, remembering where the alias was.
/// </summary>
public sealed class LambdaReleaser(ILambdaClient lambda, LambdaWaiter waiter)
{
    /// <summary>A releaser whose waiters sleep with the client's <see cref="LambdaClientOptions.Delay"/>.</summary>
    public static LambdaReleaser Create(LambdaClient lambda) => new(lambda, new LambdaWaiter(lambda, lambda.Options.Delay));

    public async Task<LambdaRelease> ReleaseAsync(string functionName, string alias, LambdaArtifact artifact, string? description = null,
        CancellationToken cancellationToken = default)
    {
        var configuration = (await lambda.GetFunctionAsync(functionName, cancellationToken: cancellationToken)).Configuration;
        if (configuration.LastUpdateStatus == "InProgress")
        {
            Log.Info($"Lambda {functionName}: an update is in progress (Terraform's), waiting for it before comparing hashes");
            configuration = await waiter.FunctionUpdatedV2Async(functionName, cancellationToken: cancellationToken);
        }

        var codeUpdated = configuration.CodeSha256 != artifact.Base64Sha256;
        if (codeUpdated)
        {
            Log.Info($"Lambda {functionName}: runs {configuration.CodeSha256}, artifact is {artifact.Base64Sha256}; updating the code from {artifact}");
            await lambda.UpdateFunctionCodeAsync(new UpdateFunctionCodeRequest(functionName, artifact.Bucket, artifact.Key)
            {
                RevisionId = configuration.RevisionId,
            }, cancellationToken);
        }
        else
        {
            Log.Info($"Lambda {functionName}: already runs {artifact} ({artifact.Base64Sha256}), code left as it is");
        }
        configuration = await waiter.FunctionUpdatedV2Async(functionName, cancellationToken: cancellationToken);

        if (configuration.CodeSha256 != artifact.Base64Sha256)
            throw new HashMismatchException(
                $"hash mismatch: Lambda {functionName} runs CodeSha256 {configuration.CodeSha256} but {artifact} is {artifact.Base64Sha256}; " +
                $"nothing was published and alias {alias} was not moved");

        var published = await lambda.PublishVersionAsync(new PublishVersionRequest(functionName)
        {
            CodeSha256 = artifact.Base64Sha256,
            RevisionId = configuration.RevisionId,
            Description = description,
        }, cancellationToken);
        await waiter.PublishedVersionActiveAsync(functionName, published.Version, cancellationToken: cancellationToken);
        Log.Info($"Lambda {functionName}: published version {published.Version}");

        var previous = await MoveAliasAsync(functionName, alias, published.Version, cancellationToken);
        return new LambdaRelease(functionName, alias, published.Version, published.CodeSha256, previous, codeUpdated);
    }

    /// <summary>Points the alias at <paramref name="version"/> (creating it if missing); returns the version it pointed at before.</summary>
    public async Task<string?> MoveAliasAsync(string functionName, string alias, string version, CancellationToken cancellationToken = default)
    {
        var current = await lambda.GetAliasAsync(functionName, alias, cancellationToken);
        if (current is null)
        {
            await lambda.CreateAliasAsync(functionName, alias, version, cancellationToken: cancellationToken);
            Log.Info($"Lambda {functionName}: created alias {alias} on version {version}");
            return null;
        }
        if (current.FunctionVersion != version)
        {
            await lambda.UpdateAliasAsync(functionName, alias, version, current.RevisionId, cancellationToken);
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
}
