using Depoxy.Build.Engine;
using Depoxy.Packaging.Zip;

namespace Depoxy.Packaging;

/// <param name="ApiPublishDirectory">An API folder published already (by an earlier step); null builds the API or reuses a build of the same inputs.</param>
/// <param name="ApiBuildCache">Where API builds are kept by input hash; default .nuke/temp/api-builds.</param>
public sealed record PackageOptions(string? Version = null, bool AllowDirty = false, bool IncludeApi = true, bool IncludeSites = true,
    string? ApiPublishDirectory = null, string? ApiBuildCache = null);

/// <summary>Builds artifacts/: api.zip (+ hash), one zip per module and per site, and manifest.json listing them.</summary>
/// <param name="apiBuild">How api.zip is built or reused; by default through the local cache of <see cref="ApiBuildCache.DefaultDirectory"/>.</param>
public sealed class Packager(string repositoryRoot, ApiBuild? apiBuild = null)
{
    public string ArtifactsDirectory { get; } = Path.Combine(repositoryRoot, "artifacts");

    public string ManifestPath => Path.Combine(ArtifactsDirectory, ReleaseManifest.FileName);

    public async Task<ReleaseManifest> PackageAsync(PackageOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PackageOptions();
        var version = await ReleaseVersion.ResolveAsync(repositoryRoot, options.Version, options.AllowDirty, cancellationToken);
        Log.Info($"Packaging version {version.Value} (commit {version.Commit})");
        Directory.CreateDirectory(ArtifactsDirectory);
        var artifacts = new List<ManifestArtifact>();
        string? apiInputHash = null;

        if (options.IncludeApi)
        {
            var zip = Path.Combine(ArtifactsDirectory, "api.zip");
            string hashFile;
            if (options.ApiPublishDirectory is { } published)
                hashFile = new ApiPackager(repositoryRoot).Zip(published, zip);
            else
                (hashFile, apiInputHash, _) = await (apiBuild ?? ApiBuild.ForRepository(repositoryRoot, options.ApiBuildCache)).BuildAsync(zip, cancellationToken);
            artifacts.Add(Describe(ArtifactKinds.Api, "api", ReleaseManifest.ApiKey(version.Value), zip));
            artifacts.Add(Describe(ArtifactKinds.ApiHash, "api", ReleaseManifest.ApiKey(version.Value) + FileDigest.HashFileSuffix, hashFile));
        }

        foreach (var module in ModuleSource.Discover(repositoryRoot))
        {
            var zip = Path.Combine(ArtifactsDirectory, "modules", module.ZipFileName);
            var files = module.Files();
            DeterministicZip.CreateFile(zip, files);
            FileDigest.WriteHashFile(zip);
            artifacts.Add(Describe(ArtifactKinds.Module, module.Name, module.Key, zip) with
            {
                ModuleVersion = module.Version,
                ContentSha256 = ContentHash.Of(files),
            });
        }

        if (options.IncludeSites)
        {
            var sites = new SitePackager(repositoryRoot);
            foreach (var site in sites.Present())
            {
                var zip = await sites.PackageAsync(site, Path.Combine(ArtifactsDirectory, "sites", site + ".zip"), cancellationToken);
                artifacts.Add(Describe(ArtifactKinds.Site, site, ReleaseManifest.SiteKey(site, version.Value), zip));
            }
        }

        var manifest = new ReleaseManifest(version.Value, version.Commit, DateTimeOffset.UtcNow, artifacts, apiInputHash);
        manifest.Save(ManifestPath);
        foreach (var artifact in artifacts)
            Log.Info($"  {artifact.File,-36} {artifact.Size,12:N0} B  sha256 {artifact.Sha256}");
        Log.Info($"Wrote {Path.GetRelativePath(repositoryRoot, ManifestPath)} ({artifacts.Count} artifacts, version {version.Value})");
        return manifest;
    }

    private ManifestArtifact Describe(string kind, string name, string key, string path)
    {
        var digest = FileDigest.Of(path);
        var file = Path.GetRelativePath(ArtifactsDirectory, path).Replace(Path.DirectorySeparatorChar, '/');
        return new ManifestArtifact(kind, name, key, file, digest.Size, digest.Sha256Hex, digest.Base64Sha256);
    }
}
