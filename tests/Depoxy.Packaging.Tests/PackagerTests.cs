using System.IO.Compression;
using System.Security.Cryptography;
using Depoxy.Packaging.Zip;

namespace Depoxy.Packaging.Tests;

public sealed class PackagerTests : IDisposable
{
    private readonly TempRepository _repo = new();

    /// <summary>A repository with a published-API stand-in, one module and a plain site.</summary>
    public static TempRepository Fixture(TempRepository repo) => repo
        .Write("publish/bootstrap", "#!/bin/sh\nexec dotnet Depoxy.Api.dll \"$@\"\n")
        .Write("publish/Depoxy.Api.dll", string.Concat(Enumerable.Repeat("stand-in for the published API. ", 200)))
        .Write("publish/Depoxy.Api.pdb", "symbols are not shipped")
        .Write("modules/lambda/VERSION", "0.0.3\n")
        .Write("modules/lambda/main.tf", "resource \"aws_lambda_function\" \"this\" {}\n")
        .Write("modules/lambda/variables.tf", "variable \"name\" {}\n")
        .Write("modules/notamodule/README.md", "no VERSION, not packaged")
        .Write("www/index.html", "<!doctype html><title>Depoxy</title>");

    private async Task<ReleaseManifest> PackageAsync(string? version = null) =>
        await new Packager(_repo.Root).PackageAsync(new PackageOptions(Version: version, ApiPublishDirectory: _repo["publish"]));

    [Fact]
    public async Task Package_writes_every_artifact_and_a_manifest_whose_digests_match_the_files()
    {
        var commit = await Fixture(_repo).CommitAsync();

        var manifest = await PackageAsync();

        var version = "20240102.030405-g" + commit[..7];
        Assert.Equal(version, manifest.Version);
        Assert.Equal(commit, manifest.Commit);
        Assert.Equal(
            [
                ("api", $"api/{version}/api.zip", "api.zip"),
                ("api-hash", $"api/{version}/api.zip.base64sha256", "api.zip.base64sha256"),
                ("module", "modules/lambda/0.0.3/lambda.zip", "modules/lambda-0.0.3.zip"),
                ("site", $"sites/www/{version}/www.zip", "sites/www.zip"),
            ],
            manifest.Artifacts.Select(a => (a.Kind, a.Key, a.File)));
        foreach (var artifact in manifest.Artifacts)
        {
            var bytes = File.ReadAllBytes(_repo["artifacts/" + artifact.File]);
            Assert.Equal(bytes.Length, artifact.Size);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), artifact.Sha256);
            Assert.Equal(Convert.ToBase64String(SHA256.HashData(bytes)), artifact.Base64Sha256);
        }
        var saved = ReleaseManifest.Load(_repo["artifacts/manifest.json"]);
        Assert.Equal(manifest.Artifacts, saved.Artifacts);
        Assert.Equal(manifest.IdentitySha256(), saved.IdentitySha256());
    }

    [Fact]
    public async Task The_hash_file_is_base64_of_the_raw_sha256_without_newline()
    {
        await Fixture(_repo).CommitAsync();
        await PackageAsync();

        var zip = File.ReadAllBytes(_repo["artifacts/api.zip"]);
        var text = File.ReadAllText(_repo["artifacts/api.zip.base64sha256"]);

        Assert.Equal(Convert.ToBase64String(SHA256.HashData(zip)), text);
        Assert.Equal(44, text.Length);
        Assert.Equal(File.ReadAllText(_repo["artifacts/modules/lambda-0.0.3.zip.base64sha256"]),
            Convert.ToBase64String(SHA256.HashData(File.ReadAllBytes(_repo["artifacts/modules/lambda-0.0.3.zip"]))));
    }

    [Fact]
    public async Task The_api_zip_leaves_out_pdbs_and_keeps_bootstrap_executable()
    {
        await Fixture(_repo).CommitAsync();
        await PackageAsync();

        using var archive = ZipFile.OpenRead(_repo["artifacts/api.zip"]);
        Assert.Equal(["Depoxy.Api.dll", "bootstrap"], archive.Entries.Select(e => e.FullName));
        Assert.Equal(Convert.ToUInt32("100755", 8), (uint)archive.GetEntry("bootstrap")!.ExternalAttributes >> 16);
    }

    [Fact]
    public async Task The_module_zip_holds_the_module_files_but_not_VERSION()
    {
        await Fixture(_repo).CommitAsync();
        var manifest = await PackageAsync();

        using var archive = ZipFile.OpenRead(_repo["artifacts/modules/lambda-0.0.3.zip"]);
        Assert.Equal(["main.tf", "variables.tf"], archive.Entries.Select(e => e.FullName));
        Assert.Equal(ModuleSource.Read(_repo["modules/lambda"]).ContentSha256(), manifest.Artifacts.Single(a => a.Kind == "module").ContentSha256);
    }

    [Fact]
    public async Task Packaging_twice_gives_the_same_bytes_and_the_same_identity()
    {
        await Fixture(_repo).CommitAsync();
        var first = await PackageAsync();
        var second = await PackageAsync();

        Assert.Equal(first.Artifacts, second.Artifacts);
        Assert.Equal(first.IdentitySha256(), second.IdentitySha256());
    }

    [Fact]
    public async Task A_publish_folder_without_the_handler_script_is_refused_with_the_fix()
    {
        Fixture(_repo);
        File.Delete(_repo["publish/bootstrap"]);
        await _repo.CommitAsync();

        var error = await Assert.ThrowsAsync<PackagingException>(() => PackageAsync());

        Assert.Contains("bootstrap is missing from the publish output", error.Message);
    }

    [Fact]
    public async Task A_module_version_that_is_not_a_version_is_refused_naming_the_file()
    {
        Fixture(_repo).Write("modules/lambda/VERSION", "next please");
        await _repo.CommitAsync();

        var error = await Assert.ThrowsAsync<PackagingException>(() => PackageAsync());

        Assert.Contains("modules/lambda/VERSION", error.Message);
    }

    [Fact]
    public void Content_hash_of_a_folder_equals_that_of_its_zip_and_follows_content_changes()
    {
        Fixture(_repo);
        var module = ModuleSource.Read(_repo["modules/lambda"]);
        var zip = _repo["lambda.zip"];
        DeterministicZip.CreateFile(zip, module.Files(), level: 1);
        using (var stream = File.OpenRead(zip))
            Assert.Equal(module.ContentSha256(), ContentHash.OfZip(stream));

        _repo.Write("modules/lambda/main.tf", "# changed\n");
        Assert.NotEqual(module.ContentSha256(), ContentHash.Of(FolderFiles.Collect(_repo["publish"])));
        using (var stream = File.OpenRead(zip))
            Assert.NotEqual(module.ContentSha256(), ContentHash.OfZip(stream));
    }

    public void Dispose() => _repo.Dispose();
}
