using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Depoxy.Packaging;

public static class ArtifactKinds
{
    public const string Api = "api";
    public const string ApiHash = "api-hash";
    public const string Site = "site";
    public const string Module = "module";
}

/// <summary>One object of a release: where it lives in S3, where it was built in artifacts/, and its digests.</summary>
public sealed record ManifestArtifact(
    string Kind,
    string Name,
    string Key,
    string File,
    long Size,
    string Sha256,
    string Base64Sha256,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ModuleVersion = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ContentSha256 = null)
{
    /// <summary>Modules go to the shared modules bucket; everything else to the stage's artifacts bucket.</summary>
    [JsonIgnore]
    public bool InModulesBucket => Kind == ArtifactKinds.Module;

    [JsonIgnore]
    public string ContentType => Kind == ArtifactKinds.ApiHash ? "text/plain" : "application/zip";
}

/// <summary>What one build produced: artifacts/manifest.json, published as releases/&lt;version&gt;/manifest.json.</summary>
/// <param name="ApiInputHash">
/// The hash of what went into api.zip (<see cref="ApiInputs"/>), so a later commit with the same API inputs can reuse
/// its bytes; absent from manifests written before it existed, and left out of <see cref="IdentitySha256"/>.
/// </param>
public sealed record ReleaseManifest(string Version, string Commit, DateTimeOffset BuildTime, IReadOnlyList<ManifestArtifact> Artifacts,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ApiInputHash = null)
{
    public const string FileName = "manifest.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string KeyFor(string version) => $"releases/{version}/{FileName}";

    public static string ApiKey(string version) => $"api/{version}/api.zip";

    public static string SiteKey(string name, string version) => $"sites/{name}/{version}/{name}.zip";

    public static string ModuleKey(string name, string moduleVersion) => $"modules/{name}/{moduleVersion}/{name}.zip";

    [JsonIgnore]
    public bool IsDirty => ReleaseVersion.IsDirty(Version);

    [JsonIgnore]
    public ManifestArtifact? Api => Artifacts.FirstOrDefault(a => a.Kind == ArtifactKinds.Api);

    /// <summary>
    /// The digest of what the release is (version, commit, artifacts) without its build time, so a manifest rebuilt
    /// from the same commit counts as the one already published.
    /// </summary>
    public string IdentitySha256() =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(new { Version, Commit, Artifacts }, Json)));

    public byte[] ToJsonBytes() => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this, Json) + "\n");

    public void Save(string path) => System.IO.File.WriteAllBytes(path, ToJsonBytes());

    public static ReleaseManifest Parse(ReadOnlySpan<byte> json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<ReleaseManifest>(json, Json)
                ?? throw new PackagingException($"{source} is empty: run ./build.sh Package again.");
        }
        catch (JsonException e)
        {
            throw new PackagingException($"{source} is not a release manifest ({e.Message}): run ./build.sh Package again.");
        }
    }

    public static ReleaseManifest Load(string path) =>
        System.IO.File.Exists(path)
            ? Parse(System.IO.File.ReadAllBytes(path), path)
            : throw new PackagingException($"{path} not found: run ./build.sh Package first.");
}
