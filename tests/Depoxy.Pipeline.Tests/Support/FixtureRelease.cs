using Depoxy.Packaging;
using Depoxy.Packaging.Zip;

namespace Depoxy.Pipeline.Tests.Support;

/// <summary>
/// A tiny release as Package would leave it in artifacts/: an api.zip with a run.sh and its .base64sha256, www and app site zips, and the
/// manifest. The api bytes and the sites' pages differ per version.
/// </summary>
public sealed class FixtureRelease : IDisposable
{
    private FixtureRelease(string version, string directory, ReleaseManifest manifest)
    {
        Version = version;
        Directory = directory;
        Manifest = manifest;
    }

    public string Version { get; }
    public string Directory { get; }
    public ReleaseManifest Manifest { get; }
    public ManifestArtifact Api => Manifest.Api!;

    public static string Page(string site, string version) => $"<!doctype html><title>{site} {version}</title>";

    /// <param name="extraWwwPages">Pages the www site has beyond its index and stylesheet, for releases that grow the site.</param>
    public static FixtureRelease Create(string version, int extraWwwPages = 0)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("depoxy-fixture-release-").FullName;
        var commit = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(version)));
        var artifacts = new List<ManifestArtifact>
        {
            Zip(directory, ArtifactKinds.Api, "api", ReleaseManifest.ApiKey(version), "api.zip",
                ("run.sh", $"#!/bin/sh\n# fixture api {version}\nexec sleep 60\n", FileModes.Executable)),
        };
        var hashFile = FileDigest.WriteHashFile(Path.Combine(directory, "api.zip"));
        var hash = FileDigest.Of(hashFile);
        artifacts.Add(new ManifestArtifact(ArtifactKinds.ApiHash, "api", ReleaseManifest.ApiKey(version) + FileDigest.HashFileSuffix,
            Path.GetFileName(hashFile), hash.Size, hash.Sha256Hex, hash.Base64Sha256));
        foreach (var site in new[] { "www", "app" })
            artifacts.Add(Zip(directory, ArtifactKinds.Site, site, ReleaseManifest.SiteKey(site, version), $"sites/{site}.zip",
            [
                ("index.html", Page(site, version), FileModes.Regular),
                ("assets/site.css", $"body {{ color: black }} /* {site} */", FileModes.Regular),
                .. Enumerable.Range(1, site == "www" ? extraWwwPages : 0).Select(i => ($"pages/{i}.html", Page(site, $"{version} page {i}"), FileModes.Regular)),
            ]));
        var manifest = new ReleaseManifest(version, commit, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), artifacts);
        manifest.Save(Path.Combine(directory, ReleaseManifest.FileName));
        return new FixtureRelease(version, directory, manifest);
    }

    private static ManifestArtifact Zip(string directory, string kind, string name, string key, string file, params (string Entry, string Content, UnixFileMode Mode)[] entries)
    {
        var sources = Path.Combine(directory, "src", name);
        var inputs = new List<ZipInput>();
        foreach (var (entry, content, mode) in entries)
        {
            var path = Path.Combine(sources, entry);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
            inputs.Add(new ZipInput(entry, path, mode));
        }
        var zip = Path.Combine(directory, file);
        DeterministicZip.CreateFile(zip, inputs);
        var digest = FileDigest.Of(zip);
        return new ManifestArtifact(kind, name, key, file, digest.Size, digest.Sha256Hex, digest.Base64Sha256);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
