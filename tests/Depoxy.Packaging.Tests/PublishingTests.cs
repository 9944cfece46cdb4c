using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Depoxy.Aws;
using Depoxy.Packaging.Publishing;
using Depoxy.Testing;

namespace Depoxy.Packaging.Tests;

[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "moto";
}

[Collection(MotoCollection.Name)]
public sealed class PublishingTests(MotoServer moto) : IAsyncLifetime
{
    private readonly TempRepository _repo = new();
    private readonly IAmazonS3 _s3 = S3ClientFactory.Create(moto.Aws);
    private readonly string _bucket = "artifacts-" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _modules = "modules-" + Guid.NewGuid().ToString("N")[..12];
    private ReleaseManifest _manifest = null!;

    private string Artifacts => _repo["artifacts"];

    private ArtifactPublisher Publisher => new(_s3, UploadProgress.Lines);

    public async Task InitializeAsync()
    {
        await CreateBucketAsync(_bucket);
        await CreateBucketAsync(_modules);
        await PackagerTests.Fixture(_repo).CommitAsync();
        _manifest = await PackageAsync();
    }

    private Task CreateBucketAsync(string name) =>
        _s3.PutBucketAsync(new PutBucketRequest
        {
            BucketName = name,
            PutBucketConfiguration = new PutBucketConfiguration { LocationConstraint = new BucketLocationConstraint(moto.Aws.Region.SystemName) },
        });

    private Task<ReleaseManifest> PackageAsync() =>
        new Packager(_repo.Root).PackageAsync(new PackageOptions(ApiPublishDirectory: _repo["publish"]));

    private async Task<byte[]> GetAsync(string bucket, string key)
    {
        using var response = await _s3.GetObjectAsync(bucket, key);
        using var body = new MemoryStream();
        await response.ResponseStream.CopyToAsync(body);
        return body.ToArray();
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Fact]
    public async Task Moto_honours_if_none_match_on_put()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "k", ContentBody = "one" });

        var refused = await Assert.ThrowsAsync<AmazonS3Exception>(() =>
            _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "k", ContentBody = "two", IfNoneMatch = "*" }));

        Assert.Equal(HttpStatusCode.PreconditionFailed, refused.StatusCode);
        Assert.Equal("one", System.Text.Encoding.UTF8.GetString(await GetAsync(_bucket, "k")));
    }

    [Fact]
    public async Task Publish_uploads_every_artifact_and_the_manifest_then_publishing_again_uploads_nothing()
    {
        var first = await Publisher.PublishAsync(Artifacts, _bucket);

        var expectedBytes = _manifest.Artifacts.Where(a => !a.InModulesBucket).Sum(a => a.Size) + new FileInfo(Path.Combine(Artifacts, "manifest.json")).Length;
        Assert.Equal(4, first.Uploaded);
        Assert.Equal(expectedBytes, first.BytesUploaded);
        var keys = (await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket })).S3Objects.Select(o => o.Key).Order(StringComparer.Ordinal);
        Assert.Equal(
            [$"api/{_manifest.Version}/api.zip", $"api/{_manifest.Version}/api.zip.base64sha256", $"releases/{_manifest.Version}/manifest.json", $"sites/www/{_manifest.Version}/www.zip"],
            keys);

        var again = await Publisher.PublishAsync(Artifacts, _bucket);

        Assert.Equal(0, again.BytesUploaded);
        Assert.Equal(0, again.Uploaded);
        Assert.Equal(4, again.AlreadyPublished);
    }

    [Fact]
    public async Task A_rebuilt_manifest_of_the_same_commit_counts_as_already_published()
    {
        await Publisher.PublishAsync(Artifacts, _bucket);
        var rebuilt = await PackageAsync();
        Assert.NotEqual(_manifest.BuildTime, rebuilt.BuildTime);

        var again = await Publisher.PublishAsync(Artifacts, _bucket);

        Assert.Equal(0, again.BytesUploaded);
    }

    [Fact]
    public async Task Same_version_with_different_bytes_fails_clearly_and_changes_nothing()
    {
        await Publisher.PublishAsync(Artifacts, _bucket);
        var apiKey = $"api/{_manifest.Version}/api.zip";
        var published = await GetAsync(_bucket, apiKey);
        _repo.Write("publish/Depoxy.Api.dll", "a different build of the same version").Write("app/index.html", "a new site");
        await _repo.CommitAsync();
        await new Packager(_repo.Root).PackageAsync(new PackageOptions(Version: _manifest.Version, ApiPublishDirectory: _repo["publish"]));

        var error = await Assert.ThrowsAsync<ArtifactConflictException>(() => Publisher.PublishAsync(Artifacts, _bucket));

        Assert.StartsWith($"api {_manifest.Version} is already published with different content", error.Message);
        Assert.Equal(apiKey, error.Key);
        Assert.Equal(published, await GetAsync(_bucket, apiKey));
        Assert.Equal(4, (await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket })).KeyCount);
    }

    [Fact]
    public async Task The_manifest_lists_every_object_with_its_sha256()
    {
        await Publisher.PublishAsync(Artifacts, _bucket);
        await Publisher.PublishModulesAsync(Artifacts, _modules);

        var manifest = ReleaseManifest.Parse(await GetAsync(_bucket, $"releases/{_manifest.Version}/manifest.json"), "published manifest");

        Assert.Equal(_manifest.Artifacts, manifest.Artifacts);
        Assert.Equal(["api", "api-hash", "module", "site"], manifest.Artifacts.Select(a => a.Kind));
        foreach (var artifact in manifest.Artifacts)
        {
            var bytes = await GetAsync(artifact.InModulesBucket ? _modules : _bucket, artifact.Key);
            Assert.Equal(artifact.Sha256, Sha256(bytes));
            Assert.Equal(artifact.Size, bytes.Length);
        }
        await new ArtifactStore(_s3).VerifyAsync(_bucket, manifest);
    }

    [Fact]
    public async Task The_hash_object_is_base64_of_the_zip_sha256_as_text_plain()
    {
        await Publisher.PublishAsync(Artifacts, _bucket);

        var zip = await GetAsync(_bucket, $"api/{_manifest.Version}/api.zip");
        var hashKey = $"api/{_manifest.Version}/api.zip.base64sha256";
        var body = System.Text.Encoding.UTF8.GetString(await GetAsync(_bucket, hashKey));
        var head = await _s3.GetObjectMetadataAsync(_bucket, hashKey);

        Assert.Equal(Convert.ToBase64String(SHA256.HashData(zip)), body.Trim());
        Assert.Equal("text/plain", head.Headers.ContentType);
        Assert.Equal(_manifest.Api!.Sha256, (await _s3.GetObjectMetadataAsync(_bucket, $"api/{_manifest.Version}/api.zip")).Metadata[ImmutableUploader.Sha256Metadata]);
    }

    [Fact]
    public async Task Modules_publish_once_and_a_changed_module_without_a_version_bump_is_an_error_naming_it()
    {
        var first = await Publisher.PublishModulesAsync(Artifacts, _modules);
        Assert.Equal(1, first.Uploaded);
        Assert.Equal(0, (await Publisher.PublishModulesAsync(Artifacts, _modules)).BytesUploaded);
        var guard = new ModuleVersionGuard(_s3);
        Assert.Empty(await guard.FindConflictsAsync(_modules, ModuleSource.Discover(_repo.Root)));

        _repo.Write("modules/lambda/main.tf", "resource \"aws_lambda_function\" \"this\" { publish = true }\n");

        var error = await Assert.ThrowsAsync<ModuleVersionException>(() => guard.EnsureAsync(_repo.Root, _modules));
        Assert.Equal("module lambda changed but its version 0.0.3 is already published with other files (s3 key modules/lambda/0.0.3/lambda.zip): bump modules/lambda/VERSION", error.Message);
        await _repo.CommitAsync();
        await PackageAsync();
        var publish = await Assert.ThrowsAsync<ArtifactConflictException>(() => Publisher.PublishModulesAsync(Artifacts, _modules));
        Assert.Contains("module lambda 0.0.3 is already published with different content", publish.Message);
        Assert.EndsWith("bump modules/lambda/VERSION.", publish.Message);

        _repo.Write("modules/lambda/VERSION", "0.0.4\n");
        Assert.Empty(await guard.FindConflictsAsync(_modules, ModuleSource.Discover(_repo.Root)));
    }

    [Fact]
    public async Task The_guard_reads_the_published_zip_when_its_content_hash_was_not_recorded()
    {
        var module = ModuleSource.Read(_repo["modules/lambda"]);
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _modules, Key = module.Key, FilePath = Path.Combine(Artifacts, "modules", module.ZipFileName) });
        var guard = new ModuleVersionGuard(_s3);
        Assert.Empty(await guard.FindConflictsAsync(_modules, [module]));

        _repo.Write("modules/lambda/extra.tf", "# new file\n");

        Assert.Equal("lambda", Assert.Single(await guard.FindConflictsAsync(_modules, [module])).Module);
    }

    [Fact]
    public async Task The_guard_hashes_the_bytes_it_downloads_not_the_content_hash_their_metadata_claims()
    {
        var module = ModuleSource.Read(_repo["modules/lambda"]);
        var request = new PutObjectRequest { BucketName = _modules, Key = module.Key, FilePath = Path.Combine(Artifacts, "modules", module.ZipFileName) };
        request.Metadata.Add(ImmutableUploader.IdentityMetadata, new string('0', 64));
        await _s3.PutObjectAsync(request);

        Assert.Empty(await new ModuleVersionGuard(_s3).FindConflictsAsync(_modules, [module]));
    }

    [Fact]
    public async Task Without_a_modules_bucket_no_module_can_conflict()
    {
        var conflicts = await new ModuleVersionGuard(_s3).FindConflictsAsync("no-modules-bucket-yet", ModuleSource.Discover(_repo.Root));

        Assert.Empty(conflicts);
    }

    [Fact]
    public async Task A_missing_bucket_is_reported_with_its_name()
    {
        var error = await Assert.ThrowsAsync<PackagingException>(() => Publisher.PublishAsync(Artifacts, "no-such-bucket-here"));

        Assert.Contains("bucket no-such-bucket-here does not exist", error.Message);
    }

    [Fact]
    public async Task An_artifact_changed_after_Package_is_refused_before_upload()
    {
        File.AppendAllText(Path.Combine(Artifacts, "api.zip"), "tampered");

        var error = await Assert.ThrowsAsync<ArtifactIntegrityException>(() => Publisher.PublishAsync(Artifacts, _bucket));

        Assert.Contains("changed since Package", error.Message);
        Assert.Equal(0, (await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket })).KeyCount);
    }

    [Fact]
    public async Task A_release_copies_to_another_bucket_verified_and_a_tampered_object_is_caught()
    {
        await Publisher.PublishAsync(Artifacts, _bucket);
        var target = "prod-" + Guid.NewGuid().ToString("N")[..12];
        await CreateBucketAsync(target);
        var store = new ArtifactStore(_s3);
        var manifest = await store.ReadManifestAsync(_bucket, _manifest.Version);

        var copy = await store.CopyAsync(_bucket, manifest, _s3, target);
        Assert.Equal(4, copy.Uploaded);
        Assert.Equal(0, (await store.CopyAsync(_bucket, manifest, _s3, target)).BytesUploaded);
        await store.VerifyAsync(target, manifest);
        Assert.Equal(await GetAsync(_bucket, manifest.Api!.Key), await GetAsync(target, manifest.Api.Key));

        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = manifest.Api.Key, ContentBody = "swapped behind our back" });
        var error = await Assert.ThrowsAsync<ArtifactIntegrityException>(() => store.VerifyAsync(_bucket, manifest));
        Assert.Contains(manifest.Api.Key, error.Message);
        await Assert.ThrowsAsync<ArtifactIntegrityException>(() => store.DownloadVerifiedAsync(_bucket, manifest.Api, Path.Combine(_repo.Root, "x.zip")));
    }

    [Fact]
    public async Task Reading_the_manifest_of_an_unpublished_version_says_so()
    {
        var error = await Assert.ThrowsAsync<PackagingException>(() => new ArtifactStore(_s3).ReadManifestAsync(_bucket, "20990101.000000-g0000000"));

        Assert.Contains("release 20990101.000000-g0000000 is not published", error.Message);
    }

    public Task DisposeAsync()
    {
        _s3.Dispose();
        _repo.Dispose();
        return Task.CompletedTask;
    }
}
