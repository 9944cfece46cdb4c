using System.Buffers.Binary;
using System.Text;
using Depoxy.Build.Engine;

namespace Depoxy.Packaging.Tests;

/// <summary>The central directory as written, read field by field (ZipArchive would hide the raw values).</summary>
public sealed record CentralEntry(string Name, ushort MadeBy, ushort Method, ushort Time, ushort Date, ushort ExtraLength, uint ExternalAttributes)
{
    public int Mode => (int)(ExternalAttributes >> 16) & 0xFFF;

    public static IReadOnlyList<CentralEntry> Read(byte[] zip)
    {
        var end = zip.AsSpan(zip.Length - 22);
        Assert.Equal(0x06054b50u, BinaryPrimitives.ReadUInt32LittleEndian(end));
        var count = BinaryPrimitives.ReadUInt16LittleEndian(end[10..]);
        var at = (int)BinaryPrimitives.ReadUInt32LittleEndian(end[16..]);
        var entries = new List<CentralEntry>();
        for (var i = 0; i < count; i++)
        {
            var h = zip.AsSpan(at);
            Assert.Equal(0x02014b50u, BinaryPrimitives.ReadUInt32LittleEndian(h));
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(h[28..]);
            var extra = BinaryPrimitives.ReadUInt16LittleEndian(h[30..]);
            var comment = BinaryPrimitives.ReadUInt16LittleEndian(h[32..]);
            entries.Add(new CentralEntry(
                Encoding.UTF8.GetString(h.Slice(46, nameLength)),
                BinaryPrimitives.ReadUInt16LittleEndian(h[4..]),
                BinaryPrimitives.ReadUInt16LittleEndian(h[10..]),
                BinaryPrimitives.ReadUInt16LittleEndian(h[12..]),
                BinaryPrimitives.ReadUInt16LittleEndian(h[14..]),
                extra,
                BinaryPrimitives.ReadUInt32LittleEndian(h[38..])));
            at += 46 + nameLength + extra + comment;
        }
        return entries;
    }
}

/// <summary>One line of Info-ZIP's <c>unzip -Z -T</c> (zipinfo): permissions, version, host, size, text/binary, method, yyyyMMdd.HHmmss, name.</summary>
public sealed record ZipInfoLine(string Permissions, string Version, string Host, long Size, string Method, string Timestamp, string Name)
{
    public static async Task<IReadOnlyList<ZipInfoLine>> ReadAsync(string zipPath)
    {
        var output = (await Tool.RunAsync("unzip", ["-Z", "-T", zipPath], echoOutput: false)).StandardOutput;
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 8, StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length == 8 && parts[0].Length == 10 && parts[0][0] == '-')
            .Select(p => new ZipInfoLine(p[0], p[1], p[2], long.Parse(p[3]), p[5], p[6], p[7]))
            .ToList();
    }
}
