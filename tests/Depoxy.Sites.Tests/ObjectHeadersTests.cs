namespace Depoxy.Sites.Tests;

public sealed class ObjectHeadersTests
{
    [Theory]
    [InlineData("index.html", "text/html; charset=utf-8")]
    [InlineData("app.mjs", "text/javascript; charset=utf-8")]
    [InlineData("data/config.json", "application/json; charset=utf-8")]
    [InlineData("feed.atom", "application/atom+xml; charset=utf-8")]
    [InlineData("sitemap.xml", "text/xml; charset=utf-8")]
    [InlineData("photo.avif", "image/avif")]
    [InlineData("photo.webp", "image/webp")]
    [InlineData("module.wasm", "application/wasm")]
    [InlineData("doc.pdf", "application/pdf")]
    [InlineData("LICENSE", "application/octet-stream")]
    [InlineData("archive.unknownext", "application/octet-stream")]
    public void Content_type_comes_from_the_full_mapping_with_utf8_on_text(string path, string expected) =>
        Assert.Equal(expected, ObjectHeaders.ContentTypeOf(path));

    [Theory]
    [InlineData("index.html", "no-cache")]
    [InlineData("docs/page.htm", "no-cache")]
    [InlineData("sw.js", "no-cache")]
    [InlineData("service-worker.js", "no-cache")]
    [InlineData("site.webmanifest", "no-cache")]
    [InlineData("manifest.json", "no-cache")]
    [InlineData("app.3f9a1c2b.html", "no-cache")]
    [InlineData("assets/app.3f9a1c2b.js", "public, max-age=31536000, immutable")]
    [InlineData("assets/index-BQ7x2k9a.css", "public, max-age=31536000, immutable")]
    [InlineData("assets/vendor-a1b2c3d4e5f6a7b8.js.map", "public, max-age=300")]
    [InlineData("assets/chunk.0123abcd.js", "public, max-age=31536000, immutable")]
    [InlineData("assets/jquery-bootstrap.css", "public, max-age=300")]
    [InlineData("assets/react-UIBundle.js", "public, max-age=300")]
    [InlineData("assets/app.3f9a1c.js", "public, max-age=300")]
    [InlineData("photo-20240101.jpg", "public, max-age=300")]
    [InlineData("favicon.ico", "public, max-age=300")]
    public void Cache_control_follows_the_naming_rules(string path, string expected) =>
        Assert.Equal(expected, ObjectHeaders.CacheControlOf(path, ObjectHeaders.DefaultShortMaxAge));

    [Fact]
    public void Header_hash_changes_with_any_header()
    {
        var baseline = ObjectHeaders.For("robots.txt");
        Assert.Equal(baseline.Hash, ObjectHeaders.For("other/robots.txt").Hash);
        Assert.NotEqual(baseline.Hash, ObjectHeaders.For("robots.txt", TimeSpan.FromMinutes(1)).Hash);
        Assert.NotEqual(baseline.Hash, (baseline with { ContentType = "text/plain" }).Hash);
    }
}
