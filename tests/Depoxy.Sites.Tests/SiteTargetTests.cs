namespace Depoxy.Sites.Tests;

public sealed class SiteTargetTests
{
    [Theory]
    [InlineData("depoxy-www", "depoxy-www", "", "")]
    [InlineData("depoxy-sites/www", "depoxy-sites", "www", "www/")]
    [InlineData("s3://depoxy-sites/www/v2/", "depoxy-sites", "www/v2", "www/v2/")]
    public void Parses_bucket_and_prefix(string text, string bucket, string prefix, string keyPrefix)
    {
        var target = SiteTarget.Parse(text);
        Assert.Equal((bucket, prefix, keyPrefix), (target.Bucket, target.Prefix, target.KeyPrefix));
    }

    [Fact]
    public void A_target_without_bucket_is_a_one_line_error() =>
        Assert.Contains("names no bucket", Assert.Throws<SiteSyncException>(() => SiteTarget.Parse("s3:///www")).Message);
}
