using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Depoxy.Aws;
using Depoxy.Packaging.Publishing;
using Depoxy.Testing;

namespace Depoxy.Packaging.Tests;

/// <summary>
/// Package reusing an API build by its inputs. A stand-in publisher (a folder with a bootstrap) replaces dotnet
/// publish and counts its runs; the inputs are those of a one-file API project in a throw-away repository.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class ApiBuildTests(MotoServer moto) : IAsyncLifetime
{
    private readonly TempRepository _repo = PackagerTests.Fixture(new TempRepository())
        .Write(ApiPackager.DefaultProject, "<Project Sdk=\"Microsoft.NET.Sdk.Web\" />")
        .Write("api/Depoxy.Api/Program.cs", "return 0;");
    private readonly string _cache = Directory.CreateTempSubdirectory("depoxy-api-builds-").FullName;
    private readonly IAmazonS3 _s3 = S3ClientFactory.Create(moto.Aws);
    private readonly string _bucket = "artifacts-" + Guid.NewGuid().ToString("N")[..12];
    private int _publishes;

    private string Zip => _repo["artifacts/api.zip"];

    public async Task InitializeAsync()
    {
        await new MotoStageSeed(moto.Aws, _repo.Root).SeedBucketsAsync([_bucket]);
        await _repo.CommitAsync();
    }

    private ApiBuild Build(string cache, params IApiBuildSource[] sources) =>
        new(new ApiPackager(_repo.Root),
            async token => (await ApiInputs.OfRepositoryAsync(_repo.Root, cancellationToken: token)).Hash(),
            new ApiBuildCache(cache), sources,
            _ =>
            {
                Interlocked.Increment(ref _publishes);
                return Task.FromResult(_repo["publish"]);
            });

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public async Task A_second_build_of_the_same_inputs_reuses_the_cached_bytes_without_publishing()
    {
        var built = await Build(_cache).BuildAsync(Zip);
        var first = File.ReadAllBytes(Zip);
        File.Delete(Zip);

        var reused = await Build(_cache).BuildAsync(Zip);

        Assert.Equal(1, _publishes);
        Assert.Null(built.Reused);
        Assert.Equal($"the local cache {Path.Combine(_cache, built.InputHash)}", reused.Reused);
        Assert.Equal(built.InputHash, reused.InputHash);
        Assert.Equal(first, File.ReadAllBytes(Zip));
        Assert.Equal(Convert.ToBase64String(SHA256.HashData(first)), File.ReadAllText(reused.HashFile));
    }

    [Fact]
    public async Task Changed_inputs_are_built_again()
    {
        var first = await Build(_cache).BuildAsync(Zip);
        _repo.Write("api/Depoxy.Api/Program.cs", "return 1;");

        var second = await Build(_cache).BuildAsync(Zip);

        Assert.Equal(2, _publishes);
        Assert.NotEqual(first.InputHash, second.InputHash);
        Assert.Null(second.Reused);
    }

    [Fact]
    public async Task A_corrupted_cache_entry_is_refused_and_the_API_built_and_cached_again()
    {
        var built = await Build(_cache).BuildAsync(Zip);
        var good = Sha256(Zip);
        var cached = Path.Combine(_cache, built.InputHash, ApiBuildCache.ZipName);
        var bytes = File.ReadAllBytes(cached);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(cached, bytes);

        var rebuilt = await Build(_cache).BuildAsync(Zip);

        Assert.Null(rebuilt.Reused);
        Assert.Equal(2, _publishes);
        Assert.Equal(good, Sha256(Zip));
        Assert.Equal(good, Sha256(cached));
    }

    [Fact]
    public async Task A_deploy_of_a_commit_that_changed_only_www_ships_the_api_zip_of_the_published_release_verified_and_builds_nothing()
    {
        var first = await new Packager(_repo.Root, Build(_cache)).PackageAsync();
        await PackagingFlow.PublishAsync(_repo.Root, _bucket, moto.Aws);
        await _repo.Write("www/index.html", "<!doctype html><title>Depoxy, a later commit</title>").CommitAsync();
        var emptyCache = Path.Combine(_cache, "fresh-clone");

        var second = await PackagingFlow.PackageOrReuseAsync(_repo.Root, new PackageOptions(ApiBuildCache: emptyCache), _bucket, moto.Aws);

        Assert.Equal(1, _publishes);
        Assert.NotEqual(first.Version, second.Version);
        Assert.Equal(first.ApiInputHash, second.ApiInputHash);
        Assert.Equal(first.Api!.Sha256, second.Api!.Sha256);
        Assert.Equal(first.Api.Sha256, Sha256(Zip));
        Assert.Equal(first.Api.Sha256, Sha256(Path.Combine(emptyCache, first.ApiInputHash!, ApiBuildCache.ZipName)));
        Assert.NotEqual(first.Artifacts.Single(a => a.Kind == ArtifactKinds.Site).Sha256, second.Artifacts.Single(a => a.Kind == ArtifactKinds.Site).Sha256);
    }

    [Fact]
    public async Task A_published_api_zip_that_no_longer_matches_its_manifest_is_not_reused()
    {
        var first = await new Packager(_repo.Root, Build(_cache)).PackageAsync();
        await PackagingFlow.PublishAsync(_repo.Root, _bucket, moto.Aws);
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = first.Api!.Key, ContentBody = "altered" });
        File.Delete(Zip);

        var restored = await new PublishedApiBuilds(_s3, _bucket).TryRestoreAsync(first.ApiInputHash!, Zip);

        Assert.Null(restored);
        Assert.False(File.Exists(Zip));
        Assert.Null(await new PublishedApiBuilds(_s3, _bucket).TryRestoreAsync(new string('0', 64), Zip));
    }

    public Task DisposeAsync()
    {
        _s3.Dispose();
        _repo.Dispose();
        Directory.Delete(_cache, recursive: true);
        return Task.CompletedTask;
    }
}
