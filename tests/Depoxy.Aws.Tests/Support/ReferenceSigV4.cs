using System.Security.Cryptography;
using System.Text;

namespace Depoxy.Aws.Tests.Support;

/// <summary>
/// Test oracle: SigV4 written from AWS's published algorithm, proven against the AWS/botocore vectors in
/// <c>SigV4Tests</c> before it is used to judge <c>SigV4SigningHandler</c>'s output, whose extra signed
/// x-amz-content-sha256 header keeps it from reproducing the published Authorization values byte for byte.
/// </summary>
public static class ReferenceSigV4
{
    public static string CanonicalRequest(string method, Uri uri, IEnumerable<KeyValuePair<string, string>> signedHeaders, string payloadHash,
        bool doubleEncodePath = true)
    {
        var headers = signedHeaders.Select(h => (Name: h.Key.ToLowerInvariant(), Value: string.Join(' ', h.Value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))))
            .OrderBy(h => h.Name, StringComparer.Ordinal).ToList();
        return string.Join('\n',
            method,
            CanonicalPath(uri.AbsolutePath, doubleEncodePath),
            CanonicalQuery(uri.Query),
            string.Concat(headers.Select(h => $"{h.Name}:{h.Value}\n")),
            string.Join(';', headers.Select(h => h.Name)),
            payloadHash);
    }

    /// <summary>The path as sent (already percent-encoded) is encoded once more, as botocore and the SDKs do for non-S3 services.</summary>
    public static string CanonicalPath(string escapedPath, bool doubleEncode) =>
        doubleEncode ? string.Join('/', escapedPath.Split('/').Select(Uri.EscapeDataString)) : escapedPath;

    public static string CanonicalQuery(string query) =>
        string.Join('&', query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(p => (Key: Uri.EscapeDataString(Uri.UnescapeDataString(p[0])), Value: Uri.EscapeDataString(Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""))))
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={p.Value}"));

    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

    public static string Signature(string secretKey, string date, string region, string service, string stringToSign)
    {
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        return Hex(Hmac(key, stringToSign));
    }

    public static string Authorization(string accessKey, string scope, IEnumerable<string> signedHeaderNames, string signature) =>
        $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope}, SignedHeaders={string.Join(';', signedHeaderNames.Select(n => n.ToLowerInvariant()).Order(StringComparer.Ordinal))}, Signature={signature}";

    public static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
}
