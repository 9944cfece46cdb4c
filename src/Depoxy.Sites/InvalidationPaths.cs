namespace Depoxy.Sites;

/// <summary>The CloudFront paths that serve a set of changed or deleted site files.</summary>
public static class InvalidationPaths
{
    public const string Everything = "/*";

    /// <summary>
    /// One path per file, URL-encoded per segment; an index.html also as its folder (<c>/docs/</c>, <c>/</c>) since
    /// that is how it is requested. More than <paramref name="collapseAbove"/> paths become <c>/*</c>, which CloudFront
    /// bills as one path.
    /// </summary>
    public static IReadOnlyList<string> For(IEnumerable<string> relativePaths, int collapseAbove)
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var relative in relativePaths)
        {
            var path = "/" + string.Join('/', relative.Split('/').Select(Uri.EscapeDataString));
            paths.Add(path);
            if (relative.Split('/')[^1] == "index.html") paths.Add(path[..^"index.html".Length]);
        }
        return paths.Count > collapseAbove ? [Everything] : paths.ToList();
    }
}
