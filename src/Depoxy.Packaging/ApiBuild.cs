using Depoxy.Build.Engine;

namespace Depoxy.Packaging;

/// <param name="InputHash">The <see cref="ApiInputs"/> hash of the tree api.zip was built (or reused) for.</param>
/// <param name="Reused">What the bytes were reused from; null when they were built.</param>
public sealed record ApiBuildResult(string HashFile, string InputHash, string? Reused);

/// <summary>
/// How Package gets api.zip: the bytes of an earlier build with the same inputs, verified (the local cache first,
/// then the other sources), else dotnet publish; a real build is kept in the cache for the next Package.
/// </summary>
/// <param name="publish">Publishes the API and returns its folder (dotnet publish through <see cref="ApiPackager"/>).</param>
public sealed class ApiBuild(ApiPackager packager, Func<CancellationToken, Task<string>> inputHash, ApiBuildCache? cache,
    IReadOnlyList<IApiBuildSource> sources, Func<CancellationToken, Task<string>> publish)
{
    public static ApiBuild ForRepository(string repositoryRoot, string? cacheDirectory = null, params IApiBuildSource[] sources)
    {
        var packager = new ApiPackager(repositoryRoot);
        return new ApiBuild(packager,
            async token => (await ApiInputs.OfRepositoryAsync(repositoryRoot, cancellationToken: token)).Hash(),
            new ApiBuildCache(cacheDirectory is null ? ApiBuildCache.DefaultDirectory(repositoryRoot) : Path.Combine(repositoryRoot, cacheDirectory)), sources, packager.PublishAsync);
    }

    public async Task<ApiBuildResult> BuildAsync(string zipPath, CancellationToken cancellationToken = default)
    {
        var hash = await inputHash(cancellationToken);
        var label = $"API inputs {hash[..12]}";
        foreach (var source in cache is null ? sources : [cache, .. sources])
        {
            if (await source.TryRestoreAsync(hash, zipPath, cancellationToken) is not { } reused) continue;
            if (source != cache) cache?.Store(hash, zipPath);
            Log.Always($"{label}: reused the build of {reused} (sha256 verified), compiling nothing");
            return new ApiBuildResult(zipPath + FileDigest.HashFileSuffix, hash, reused);
        }
        var hashFile = packager.Zip(await publish(cancellationToken), zipPath);
        cache?.Store(hash, zipPath);
        Log.Always($"{label}: built" + (cache is null ? "" : $", kept in {cache.EntryFor(hash)}"));
        return new ApiBuildResult(hashFile, hash, null);
    }
}
