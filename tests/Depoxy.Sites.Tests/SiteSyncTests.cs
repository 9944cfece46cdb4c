using Amazon.S3;
using Amazon.S3.Model;
using Depoxy.Aws;
using Depoxy.Aws.CloudFront;
using Depoxy.Build.Engine;
using Depoxy.Testing;

namespace Depoxy.Sites.Tests;

[Collection(MotoCollection.Name)]
public sealed class SiteSyncTests(MotoServer moto) : IAsyncLifetime, IDisposable
{
    private static readonly InvalidationWaiter QuickWaiter = new(TimeSpan.FromMilliseconds(50), 5);

    private readonly string _bucket = "site-" + Guid.NewGuid().ToString("N")[..12];
    private readonly TestSite _site = new();
    private readonly List<string> _temporary = [];
    private IAmazonS3 _s3 = null!;
    private SiteSync _sync = null!;

    public async Task InitializeAsync()
    {
        _s3 = S3ClientFactory.Create(moto.Aws);
        _sync = new SiteSync(moto.Aws);
        await _s3.PutBucketAsync(new PutBucketRequest
        {
            BucketName = _bucket,
            PutBucketConfiguration = new PutBucketConfiguration { LocationConstraint = new BucketLocationConstraint(moto.Aws.Region.SystemName) },
        });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _sync.Dispose();
        _s3.Dispose();
        _site.Dispose();
        foreach (var folder in _temporary) Directory.Delete(folder, recursive: true);
    }

    private string TemporaryFolder(string name)
    {
        var folder = Directory.CreateTempSubdirectory(name).FullName;
        _temporary.Add(folder);
        return folder;
    }

    [Fact]
    public async Task First_sync_uploads_every_file_with_its_headers()
    {
        var result = await _sync.SyncAsync(_site.Root, _bucket);

        Assert.Equal(TestSite.Files.Count, result.UploadedFiles);
        Assert.Equal(TestSite.Files.Values.Sum(c => (long)System.Text.Encoding.UTF8.GetByteCount(c)), result.UploadedBytes);
        Assert.Equal(0, result.UnchangedFiles);
        Assert.Empty(result.InvalidationPaths);
        var expected = new Dictionary<string, (string Type, string Cache)>
        {
            ["index.html"] = ("text/html; charset=utf-8", "no-cache"),
            ["docs/index.html"] = ("text/html; charset=utf-8", "no-cache"),
            ["assets/app.3f9a1c2b.js"] = ("text/javascript; charset=utf-8", "public, max-age=31536000, immutable"),
            ["assets/index-BQ7x2k9a.css"] = ("text/css; charset=utf-8", "public, max-age=31536000, immutable"),
            ["sw.js"] = ("text/javascript; charset=utf-8", "no-cache"),
            ["manifest.webmanifest"] = ("application/manifest+json; charset=utf-8", "no-cache"),
            ["images/logo.svg"] = ("image/svg+xml; charset=utf-8", "public, max-age=300"),
            ["robots.txt"] = ("text/plain; charset=utf-8", "public, max-age=300"),
            ["fonts/inter.woff2"] = ("font/woff2", "public, max-age=300"),
            ["favicon.ico"] = ("image/x-icon", "public, max-age=300"),
        };
        foreach (var (key, (type, cache)) in expected)
        {
            var head = await _s3.GetObjectMetadataAsync(_bucket, key);
            Assert.Equal(type, head.Headers.ContentType);
            Assert.Equal(cache, head.Headers.CacheControl);
        }
        using var body = await _s3.GetObjectAsync(_bucket, "index.html");
        Assert.Equal(TestSite.Files["index.html"], await new StreamReader(body.ResponseStream).ReadToEndAsync());
    }

    [Fact]
    public async Task The_real_app_goes_up_with_its_shell_uncached_and_its_unhashed_scripts_briefly_cached()
    {
        var result = await _sync.SyncAsync(RepositoryRoot.Combine("app"), _bucket);

        Assert.Equal(Directory.GetFiles(RepositoryRoot.Combine("app"), "*", SearchOption.AllDirectories).Length, result.UploadedFiles);
        var expected = new Dictionary<string, (string Type, string Cache)>
        {
            ["index.html"] = ("text/html; charset=utf-8", "no-cache"),
            ["sw.js"] = ("text/javascript; charset=utf-8", "no-cache"),
            ["manifest.webmanifest"] = ("application/manifest+json; charset=utf-8", "no-cache"),
            ["js/main.js"] = ("text/javascript; charset=utf-8", "public, max-age=300"),
            ["styles.css"] = ("text/css; charset=utf-8", "public, max-age=300"),
        };
        foreach (var (key, (type, cache)) in expected)
        {
            var head = await _s3.GetObjectMetadataAsync(_bucket, key);
            Assert.Equal(type, head.Headers.ContentType);
            Assert.Equal(cache, head.Headers.CacheControl);
        }
    }

    [Fact]
    public async Task Second_sync_uploads_nothing_and_invalidates_nothing()
    {
        await _sync.SyncAsync(_site.Root, _bucket);
        var before = await ListAsync();

        var second = await _sync.SyncAsync(CopyWithNewTimes(_site.Root), _bucket);

        Assert.Equal(0, second.UploadedFiles);
        Assert.Equal(0, second.UploadedBytes);
        Assert.Equal(0, second.DeletedFiles);
        Assert.Equal(TestSite.Files.Count, second.UnchangedFiles);
        Assert.False(second.Changed);
        Assert.Empty(second.InvalidationPaths);
        Assert.Null(await _sync.InvalidateAsync("EDOESNOTEXIST", second, QuickWaiter));
        Assert.Equal(before, await ListAsync());
    }

    [Fact]
    public async Task Same_size_edit_uploads_exactly_that_file_and_invalidates_it_and_its_folder()
    {
        await _sync.SyncAsync(_site.Root, _bucket);
        _site.Write("docs/index.html", TestSite.Files["docs/index.html"].Replace("v1", "v2"));

        var result = await _sync.SyncAsync(CopyWithNewTimes(_site.Root), _bucket);

        Assert.Equal(["docs/index.html"], result.Uploaded);
        Assert.Equal(TestSite.Files["docs/index.html"].Length, result.UploadedBytes);
        Assert.Equal(TestSite.Files.Count - 1, result.UnchangedFiles);
        Assert.Equal(["/docs/", "/docs/index.html"], result.InvalidationPaths);
        using var body = await _s3.GetObjectAsync(_bucket, "docs/index.html");
        Assert.Contains("Docs v2", await new StreamReader(body.ResponseStream).ReadToEndAsync());
        Assert.Equal(0, (await _sync.SyncAsync(_site.Root, _bucket)).UploadedFiles);
    }

    [Fact]
    public async Task Deleted_file_is_deleted_and_invalidated_with_a_repeatable_caller_reference()
    {
        var distribution = await CreateDistributionAsync();
        await _sync.SyncAsync(_site.Root, _bucket);
        _site.Delete("about.html");

        var deployment = await _sync.DeployAsync(_site.Root, _bucket, distribution, new SiteSyncOptions { InvalidationWaiter = QuickWaiter });

        Assert.Equal(["about.html"], deployment.Sync.Deleted);
        Assert.Equal(0, deployment.Sync.UploadedFiles);
        Assert.DoesNotContain("about.html", (await ListAsync()).Keys);
        Assert.Equal(["/about.html"], deployment.Sync.InvalidationPaths);
        var invalidation = Assert.IsType<CloudFrontInvalidation>(deployment.Invalidation);
        Assert.True(invalidation.IsCompleted);
        using var cloudFront = new CloudFrontClient(moto.Aws);
        var recorded = await cloudFront.GetInvalidationAsync(distribution, invalidation.Id);
        Assert.Equal(["/about.html"], recorded.Paths);
        Assert.Equal(deployment.Sync.ChangeReference, recorded.CallerReference);
        var retried = await _sync.InvalidateAsync(distribution, deployment.Sync, QuickWaiter);
        Assert.Equal(recorded.CallerReference, retried!.CallerReference);
    }

    [Fact]
    public async Task Header_only_change_is_put_again()
    {
        await _sync.SyncAsync(_site.Root, _bucket);
        var before = await ListAsync();

        var result = await _sync.SyncAsync(_site.Root, _bucket, new SiteSyncOptions { ShortMaxAge = TimeSpan.FromMinutes(1) });

        Assert.Equal(["favicon.ico", "fonts/inter.woff2", "images/logo.svg", "robots.txt"], result.Uploaded.Order(StringComparer.Ordinal));
        Assert.Equal(result.Uploaded.Select(p => "/" + p).Order(StringComparer.Ordinal), result.InvalidationPaths);
        var after = await ListAsync();
        Assert.Equal(before.Select(o => (o.Key, o.Value.ETag)), after.Select(o => (o.Key, o.Value.ETag)));
        Assert.Equal("public, max-age=60", (await _s3.GetObjectMetadataAsync(_bucket, "robots.txt")).Headers.CacheControl);
        Assert.Equal("no-cache", (await _s3.GetObjectMetadataAsync(_bucket, "index.html")).Headers.CacheControl);
        Assert.Equal(0, (await _sync.SyncAsync(_site.Root, _bucket, new SiteSyncOptions { ShortMaxAge = TimeSpan.FromMinutes(1) })).UploadedFiles);
    }

    [Fact]
    public async Task Empty_source_is_refused_and_the_bucket_is_untouched()
    {
        await _sync.SyncAsync(_site.Root, _bucket);
        var before = await ListAsync();
        var empty = TemporaryFolder("depoxy-empty-site-");

        var error = await Assert.ThrowsAsync<SiteSyncException>(() => _sync.SyncAsync(empty, _bucket, new SiteSyncOptions { Force = true }));

        Assert.Contains("has no files", error.Message);
        Assert.Equal(before, await ListAsync());
    }

    [Fact]
    public async Task Deleting_more_than_half_needs_force()
    {
        await _sync.SyncAsync(_site.Root, _bucket);
        var before = await ListAsync();
        var smaller = TemporaryFolder("depoxy-small-site-");
        File.WriteAllText(Path.Combine(smaller, "index.html"), "<!doctype html>");

        var error = await Assert.ThrowsAsync<SiteSyncException>(() => _sync.SyncAsync(smaller, _bucket));
        Assert.Contains("--force", error.Message);
        Assert.Equal(before, await ListAsync());

        var forced = await _sync.SyncAsync(smaller, _bucket, new SiteSyncOptions { Force = true });
        Assert.Equal(TestSite.Files.Count - 1, forced.DeletedFiles);
        Assert.Equal(["index.html"], (await ListAsync()).Keys);
        Assert.Equal(["/", "/about.html", "/assets/app.3f9a1c2b.js", "/assets/index-BQ7x2k9a.css", "/docs/", "/docs/index.html",
            "/favicon.ico", "/fonts/inter.woff2", "/images/logo.svg", "/index.html", "/manifest.webmanifest", "/robots.txt", "/sw.js"],
            forced.InvalidationPaths);
    }

    [Fact]
    public async Task Rotating_content_hashed_assets_is_not_a_mass_deletion()
    {
        var app = TemporaryFolder("depoxy-app-site-");
        void Build(string hash)
        {
            foreach (var old in Directory.EnumerateFiles(app, "*-*")) File.Delete(old);
            File.WriteAllText(Path.Combine(app, "index.html"), $"<script src=/index-{hash}.js></script>");
            foreach (var name in new[] { "index", "vendor", "style" }) File.WriteAllText(Path.Combine(app, $"{name}-{hash}.js"), name + hash);
        }
        Build("a1b2c3d4");
        await _sync.SyncAsync(app, _bucket);
        Build("e5f6a7b8");

        var release = await _sync.SyncAsync(app, _bucket);

        Assert.Equal(3, release.DeletedFiles);
        Assert.Equal(4, release.UploadedFiles);
        Assert.Equal(["/", "/index-a1b2c3d4.js", "/index.html", "/style-a1b2c3d4.js", "/vendor-a1b2c3d4.js"], release.InvalidationPaths);
    }

    [Fact]
    public async Task Zip_artifact_and_prefix_leave_the_rest_of_the_bucket_alone()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "app/index.html", ContentBody = "other site" });
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "www-old/keep.txt", ContentBody = "not ours" });
        var zip = _site.Zip(TemporaryFolder("depoxy-site-zip-"));

        var first = await _sync.SyncAsync(zip, $"s3://{_bucket}/www");
        var fromFolder = await _sync.SyncAsync(_site.Root, $"{_bucket}/www/");

        Assert.Equal(TestSite.Files.Count, first.UploadedFiles);
        Assert.Equal(0, fromFolder.UploadedFiles);
        var keys = (await ListAsync()).Keys.ToList();
        Assert.Contains("app/index.html", keys);
        Assert.Contains("www-old/keep.txt", keys);
        Assert.Contains("www/docs/index.html", keys);
        Assert.Equal(TestSite.Files.Count + 2, keys.Count);
        Assert.Equal("no-cache", (await _s3.GetObjectMetadataAsync(_bucket, "www/index.html")).Headers.CacheControl);
    }

    [Fact]
    public async Task Missing_source_and_bucket_are_one_line_errors()
    {
        var noSource = await Assert.ThrowsAsync<SiteSyncException>(() => _sync.SyncAsync("/no/such/www.zip", _bucket));
        Assert.Contains("artifacts/sites/www.zip", noSource.Message);
        var noBucket = await Assert.ThrowsAsync<SiteSyncException>(() => _sync.SyncAsync(_site.Root, _bucket + "-missing"));
        Assert.Contains("does not exist", noBucket.Message);
    }

    [Fact]
    public async Task Progress_is_one_line_per_hundred_files_outside_a_terminal()
    {
        for (var i = 0; i < 180; i++) _site.Write($"pages/p{i:000}.txt", $"page {i}");
        var captured = new StringWriter();
        var original = Log.Out;
        Log.Out = captured;
        try
        {
            await _sync.SyncAsync(_site.Root, _bucket);
        }
        finally
        {
            Log.Out = original;
        }
        var lines = captured.ToString().Split('\n').Where(l => l.Contains("files,")).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Contains("100/191 files", lines[0]);
        Assert.Contains("191/191 files", lines[1]);
    }

    [Fact]
    public async Task Putting_back_a_recorded_release_may_delete_what_a_larger_release_added()
    {
        await _sync.SyncAsync(_site.Root, _bucket);
        var release1 = await ListAsync();
        var larger = CopyWithNewTimes(_site.Root);
        for (var i = 1; i <= 12; i++) File.WriteAllText(Path.Combine(larger, $"page-{i}.html"), $"<!doctype html><title>{i}</title>");
        await _sync.SyncAsync(larger, _bucket);

        var accident = await Assert.ThrowsAsync<SiteSyncException>(() => _sync.SyncAsync(_site.Root, _bucket));
        var restore = await _sync.SyncAsync(_site.Root, _bucket, new SiteSyncOptions { RestoringRelease = "v1" });

        Assert.Contains("--force", accident.Message);
        Assert.Equal(12, restore.DeletedFiles);
        Assert.Equal(release1.Keys, (await ListAsync()).Keys);
    }

    [Fact]
    public async Task A_file_that_comes_back_after_a_release_removed_it_is_invalidated()
    {
        await _sync.SyncAsync(_site.Root, _bucket);
        _site.Delete("about.html");
        var removal = await _sync.SyncAsync(_site.Root, _bucket);
        _site.Write("about.html", TestSite.Files["about.html"]);

        var comeback = await _sync.SyncAsync(_site.Root, _bucket);

        Assert.Equal(["/about.html"], removal.InvalidationPaths);
        Assert.Equal(["about.html"], comeback.Uploaded);
        Assert.Equal(["/about.html"], comeback.InvalidationPaths);
    }

    [Fact]
    public async Task Paths_whose_invalidation_failed_are_invalidated_by_the_next_sync_even_when_it_changes_nothing()
    {
        var distribution = await CreateDistributionAsync();
        await _sync.DeployAsync(_site.Root, _bucket, distribution, new SiteSyncOptions { InvalidationWaiter = QuickWaiter });
        _site.Write("docs/index.html", TestSite.Files["docs/index.html"].Replace("v1", "v2"));

        var failed = await Assert.ThrowsAnyAsync<Exception>(() =>
            _sync.DeployAsync(_site.Root, _bucket, "EDOESNOTEXIST", new SiteSyncOptions { InvalidationWaiter = QuickWaiter }));
        var next = await _sync.DeployAsync(_site.Root, _bucket, distribution, new SiteSyncOptions { InvalidationWaiter = QuickWaiter });
        var after = await _sync.DeployAsync(_site.Root, _bucket, distribution, new SiteSyncOptions { InvalidationWaiter = QuickWaiter });

        Assert.Contains("NoSuchDistribution", failed.Message);
        Assert.Equal(0, next.Sync.UploadedFiles);
        Assert.Equal(["/docs/", "/docs/index.html"], next.Sync.InvalidationPaths);
        Assert.NotNull(next.Invalidation);
        Assert.Empty(after.Sync.InvalidationPaths);
    }

    private async Task<SortedDictionary<string, (string ETag, DateTime LastModified)>> ListAsync()
    {
        var response = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket });
        return new SortedDictionary<string, (string, DateTime)>(
            (response.S3Objects ?? []).Where(o => !o.Key.EndsWith(".depoxy-sync.json", StringComparison.Ordinal))
                .ToDictionary(o => o.Key, o => (o.ETag, o.LastModified ?? default)),
            StringComparer.Ordinal);
    }

    private async Task<string> CreateDistributionAsync()
    {
        var environment = moto.EnvironmentVariables.ToDictionary(e => e.Key, e => e.Value.Length == 0 ? null : (string?)e.Value);
        var result = await Tool.RunAsync("aws",
            ["cloudfront", "create-distribution", "--origin-domain-name", $"{_bucket}.s3.amazonaws.com",
             "--query", "Distribution.Id", "--output", "text"],
            environment: environment, echoOutput: false);
        return result.StandardOutput.Trim();
    }

    private string CopyWithNewTimes(string folder)
    {
        var copy = TemporaryFolder("depoxy-site-copy-");
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(folder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            File.SetLastWriteTimeUtc(target, DateTime.UtcNow.AddMinutes(5));
        }
        return copy;
    }
}
