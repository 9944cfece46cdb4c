namespace Depoxy.Sites;

/// <summary>Where a site lives: a bucket and an optional key prefix (served as the distribution's origin path).</summary>
public sealed record SiteTarget(string Bucket, string Prefix)
{
    /// <summary>The key prefix with its trailing slash, or empty for the bucket root.</summary>
    public string KeyPrefix => Prefix.Length == 0 ? "" : Prefix + "/";

    public string Key(string relativePath) => KeyPrefix + relativePath;

    /// <summary>Accepts <c>bucket</c>, <c>bucket/prefix</c> or <c>s3://bucket/prefix</c>.</summary>
    public static SiteTarget Parse(string target)
    {
        var text = target.Trim();
        if (text.StartsWith("s3://", StringComparison.OrdinalIgnoreCase)) text = text[5..];
        var slash = text.IndexOf('/');
        var bucket = slash < 0 ? text : text[..slash];
        var prefix = slash < 0 ? "" : text[(slash + 1)..].Trim('/');
        if (bucket.Length == 0)
            throw new SiteSyncException($"site target '{target}' names no bucket: pass bucket or bucket/prefix, e.g. depoxy-dev-www");
        return new SiteTarget(bucket, prefix);
    }

    public override string ToString() => $"s3://{Bucket}/{KeyPrefix}";
}
