using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.StaticFiles;

namespace Depoxy.Sites;

/// <summary>The headers a site file is served with, decided from its path alone.</summary>
public sealed partial record ObjectHeaders(string ContentType, string CacheControl)
{
    public const string NoCache = "no-cache";
    public const string Immutable = "public, max-age=31536000, immutable";
    public static readonly TimeSpan DefaultShortMaxAge = TimeSpan.FromMinutes(5);

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    private static readonly HashSet<string> AlwaysRevalidated = new(StringComparer.OrdinalIgnoreCase)
    {
        "sw.js", "service-worker.js", "manifest.json", "config.json",
    };

    /// <summary>Short hash of the header values, kept in the sync manifest so that a header-only change is re-put.</summary>
    public string Hash => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{ContentType}\n{CacheControl}")))[..16];

    public static ObjectHeaders For(string relativePath, TimeSpan? shortMaxAge = null) =>
        new(ContentTypeOf(relativePath), CacheControlOf(relativePath, shortMaxAge ?? DefaultShortMaxAge));

    public static string ContentTypeOf(string relativePath)
    {
        var type = ContentTypes.TryGetContentType(relativePath, out var known) ? known : "application/octet-stream";
        return IsText(type) ? type + "; charset=utf-8" : type;
    }

    /// <summary>
    /// no-cache for documents that name other files (HTML, the service worker, the web manifest), a year and
    /// immutable for content-hashed names, <paramref name="shortMaxAge"/> for everything else.
    /// </summary>
    public static string CacheControlOf(string relativePath, TimeSpan shortMaxAge)
    {
        var name = Path.GetFileName(relativePath);
        var extension = Path.GetExtension(name);
        if (extension.Equals(".html", StringComparison.OrdinalIgnoreCase) || extension.Equals(".htm", StringComparison.OrdinalIgnoreCase)
            || extension.Equals(".webmanifest", StringComparison.OrdinalIgnoreCase) || AlwaysRevalidated.Contains(name))
            return NoCache;
        return IsContentHashed(name) ? Immutable : $"public, max-age={(long)shortMaxAge.TotalSeconds}";
    }

    /// <summary>
    /// A name is content-hashed when the last '.'- or '-'-separated segment before its extension has at least 8
    /// characters of [A-Za-z0-9_] with at least one letter and one digit: <c>app.3f9a1c2b.js</c>,
    /// <c>index-BQ7x2k9a.css</c>. Requiring a digit keeps words like <c>bootstrap</c> or <c>UIBundle</c> out; a
    /// hash that happens to have no digit only gets the short max-age, never a wrong year-long one.
    /// </summary>
    public static bool IsContentHashed(string fileName) => HashedName().IsMatch(fileName);

    [GeneratedRegex(@"[.-](?=[A-Za-z0-9_]*[0-9])(?=[A-Za-z0-9_]*[A-Za-z])[A-Za-z0-9_]{8,}\.[A-Za-z0-9]+$")]
    private static partial Regex HashedName();

    private static bool IsText(string type) =>
        type.StartsWith("text/", StringComparison.Ordinal)
        || type is "application/json" or "application/javascript" or "application/xml" or "image/svg+xml"
        || type.EndsWith("+json", StringComparison.Ordinal) || type.EndsWith("+xml", StringComparison.Ordinal);
}
