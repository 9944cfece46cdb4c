using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Depoxy.Packaging.Zip;

namespace Depoxy.Packaging;

/// <summary>
/// A digest of file names and contents only, so a folder and any zip of it agree whatever the zip's compression,
/// order or timestamps: the module version guard compares sources with what was published through it.
/// </summary>
public static class ContentHash
{
    public static string Of(IEnumerable<ZipInput> files) =>
        Combine(files.Select(f => (f.EntryName, OfFile(f.SourcePath))));

    public static string OfFile(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }

    public static string OfZip(Stream zip)
    {
        using var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        var files = new List<(string, string)>();
        foreach (var entry in archive.Entries.Where(e => !e.FullName.EndsWith('/')))
        {
            using var content = entry.Open();
            files.Add((entry.FullName, Convert.ToHexStringLower(SHA256.HashData(content))));
        }
        return Combine(files);
    }

    /// <summary>The digest of named digests, whatever their order.</summary>
    public static string Combine(IEnumerable<(string Name, string Sha256)> files)
    {
        var text = new StringBuilder();
        foreach (var (name, sha) in files.OrderBy(f => f.Name, StringComparer.Ordinal))
            text.Append(name).Append('\0').Append(sha).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
