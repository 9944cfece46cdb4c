using System.Security.Cryptography;
using System.Text;

namespace Depoxy.Packaging;

/// <summary>Size and digests of one file, read in a single pass.</summary>
public sealed record FileDigest(long Size, string Sha256Hex, string Base64Sha256, string Md5Hex)
{
    public const string HashFileSuffix = ".base64sha256";

    public static FileDigest Of(string path)
    {
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var buffer = new byte[1 << 16];
        long size = 0;
        int read;
        while ((read = file.Read(buffer)) > 0)
        {
            sha256.AppendData(buffer, 0, read);
            md5.AppendData(buffer, 0, read);
            size += read;
        }
        var sha = sha256.GetHashAndReset();
        return new FileDigest(size, Convert.ToHexStringLower(sha), Convert.ToBase64String(sha), Convert.ToHexStringLower(md5.GetHashAndReset()));
    }

    public static FileDigest Of(byte[] content)
    {
        var sha = SHA256.HashData(content);
        return new FileDigest(content.LongLength, Convert.ToHexStringLower(sha), Convert.ToBase64String(sha), Convert.ToHexStringLower(MD5.HashData(content)));
    }

    /// <summary>
    /// Writes <c>base64(sha256(file))</c> beside the file, without a newline: the value of Lambda's CodeSha256 and of
    /// Terraform's filebase64sha256 (the digest's raw bytes in base64, not its hex text).
    /// </summary>
    public static string WriteHashFile(string path)
    {
        var hashFile = path + HashFileSuffix;
        File.WriteAllText(hashFile, Of(path).Base64Sha256, new UTF8Encoding(false));
        return hashFile;
    }
}
