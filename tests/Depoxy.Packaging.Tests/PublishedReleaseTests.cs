using System.Security.Cryptography;
using Amazon.S3;
using Depoxy.Aws;
using Depoxy.Packaging.Publishing;
using Depoxy.Testing;

namespace Depoxy.Packaging.Tests;

/// <summary>
/// Package, PublishModules and Publish of a Deploy against a stage's buckets in moto, through the entry points the
/// targets call (PackagingFlow), in the order the Deploy plans them (tests/Depoxy.Build.Tests/PlannedOrderTests).
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class PublishedReleaseTests(MotoServer moto) : IAsyncLifetime
{
    private readonly TempRepository _repo = new();
    private readonly IAmazonS3 _s3 = S3ClientFactory.Create(moto.Aws);
    private readonly string _bucket = "artifacts-" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _modules = "modules-" + Guid.NewGuid().ToString("N")[..12];

    private string Artifacts => _repo["artifacts"];

    /// <summary>The API's publish folder stands in for dotnet publish, which Package would otherwise run (minutes).</summary>
    private PackageOptions Options(string? version = null) => new(Version: version, ApiPublishDirectory: _repo["publish"]);

    public async Task InitializeAsync()
    {
        await new MotoStageSeed(moto.Aws, _repo.Root).SeedBucketsAsync([_bucket, _modules]);
        await PackagerTests.Fixture(_repo).CommitAsync();
    }

    /// <summary>A Deploy of this commit from start to end of publishing: Package (or reuse), PublishModules, Publish.</summary>
    private async Task<ReleaseManifest> DeployPublishAsync(string? version = null)
    {
        var manifest = await PackagingFlow.PackageOrReuseAsync(_repo.Root, Options(version), _bucket, moto.Aws);
        await PackagingFlow.PublishModulesAsync(_repo.Root, _modules, _bucket, moto.Aws);
        await PackagingFlow.PublishAsync(_repo.Root, _bucket, moto.Aws);
        return manifest;
    }

    /// <summary>Every file under artifacts/ with its sha256.</summary>
    private IReadOnlyDictionary<string, string> ArtifactsSnapshot() =>
        new SortedDictionary<string, string>(
            Directory.EnumerateFiles(Artifacts, "*", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(Artifacts, f), f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f)))),
            StringComparer.Ordinal);

    [Fact]
    public async Task Deploy_with_the_version_of_another_commits_release_is_refused_naming_both_commits_and_the_fix_and_changes_nothing()
    {
        var released = await DeployPublishAsync();
        var head = await _repo.Write("www/index.html", "<!doctype html><title>Depoxy, a later commit</title>").CommitAsync();
        var bucket = await BucketSnapshot.TakeAsync(_s3, _bucket);
        var artifacts = ArtifactsSnapshot();

        var error = await Assert.ThrowsAsync<PackagingException>(() =>
            PackagingFlow.PackageOrReuseAsync(_repo.Root, Options(released.Version), _bucket, moto.Aws));

        Assert.Equal(
            $"release {released.Version} in s3://{_bucket} was built from commit {released.Commit}, this checkout is {head}: " +
            $"deploy this commit without --version, or check out {released.Commit[..12]} to ship {released.Version} again",
            error.Message);
        Assert.Equal(bucket, await BucketSnapshot.TakeAsync(_s3, _bucket));
        Assert.Equal(artifacts, ArtifactsSnapshot());
    }

    [Fact]
    public async Task Deploy_with_the_version_of_this_commits_release_ships_its_manifest_builds_nothing_and_uploads_nothing()
    {
        var released = await DeployPublishAsync();
        Directory.Delete(Artifacts, recursive: true);
        var bucket = await BucketSnapshot.TakeAsync(_s3, _bucket);
        var modules = await BucketSnapshot.TakeAsync(_s3, _modules);

        var reused = await PackagingFlow.PackageOrReuseAsync(_repo.Root, Options(released.Version), _bucket, moto.Aws);
        var modulesReport = await PackagingFlow.PublishModulesAsync(_repo.Root, _modules, _bucket, moto.Aws);
        var releaseReport = await PackagingFlow.PublishAsync(_repo.Root, _bucket, moto.Aws);

        Assert.Equal(released.IdentitySha256(), reused.IdentitySha256());
        Assert.Equal(new Dictionary<string, string> { [ReleaseManifest.FileName] = Convert.ToHexStringLower(SHA256.HashData(reused.ToJsonBytes())) }, ArtifactsSnapshot());
        Assert.Null(modulesReport);
        Assert.Null(releaseReport);
        Assert.Equal(bucket, await BucketSnapshot.TakeAsync(_s3, _bucket));
        Assert.Equal(modules, await BucketSnapshot.TakeAsync(_s3, _modules));
    }

    [Fact]
    public async Task A_module_changed_without_a_VERSION_bump_is_refused_before_anything_of_the_release_is_uploaded_and_again_on_a_second_attempt()
    {
        await DeployPublishAsync();
        await _repo.Write("modules/lambda/main.tf", "resource \"aws_lambda_function\" \"this\" { publish = true }\n").CommitAsync();
        var bucket = await BucketSnapshot.TakeAsync(_s3, _bucket);
        var modules = await BucketSnapshot.TakeAsync(_s3, _modules);
        const string refusal = "module lambda changed but its version 0.0.3 is already published with other files (s3 key modules/lambda/0.0.3/lambda.zip): bump modules/lambda/VERSION";

        foreach (var attempt in new[] { "first", "second" })
        {
            var manifest = await PackagingFlow.PackageOrReuseAsync(_repo.Root, Options(), _bucket, moto.Aws);
            // The engine runs nothing after a failed PublishModules but Unlock, so Publish is not reached.
            var error = await Assert.ThrowsAsync<ModuleVersionException>(() => PackagingFlow.PublishModulesAsync(_repo.Root, _modules, _bucket, moto.Aws));

            Assert.True(refusal == error.Message, $"{attempt} attempt: {error.Message}");
            Assert.Equal(bucket, await BucketSnapshot.TakeAsync(_s3, _bucket));
            Assert.DoesNotContain((await BucketSnapshot.TakeAsync(_s3, _bucket)).Keys, key => key.Contains(manifest.Version, StringComparison.Ordinal));
            Assert.Equal(modules, await BucketSnapshot.TakeAsync(_s3, _modules));
        }
    }

    public Task DisposeAsync()
    {
        _s3.Dispose();
        _repo.Dispose();
        return Task.CompletedTask;
    }
}
