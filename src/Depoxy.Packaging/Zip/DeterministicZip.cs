using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;

namespace Depoxy.Packaging.Zip;

/// <summary>
/// Writes zips whose bytes depend only on the entries' names, contents and modes. Written by hand because
/// System.IO.Compression's ZipArchive stamps each entry's time and the host OS as made-by and cannot carry Unix modes
/// on every platform, so two machines would get different bytes.
/// </summary>
/// <remarks>
/// Deflate runs at an explicit zlib level (<see cref="ZLibCompressionOptions"/>), not a <see cref="CompressionLevel"/>
/// name, whose mapping to a zlib level is the runtime's to choose; the deflate implementation itself is the runtime's
/// bundled zlib-ng, pinned through global.json's SDK (bench/reproducible.sh checks the result from two clones).
/// </remarks>
public static class DeterministicZip
{
    /// <summary>zlib's and Info-ZIP's default level, so `zip -X -6` is a like-for-like reference.</summary>
    public const int DefaultLevel = 6;

    private const ushort MadeByUnix = (3 << 8) | 20;
    private const ushort NeedsDeflate = 20;
    private const ushort NeedsStore = 10;
    private const ushort Utf8Names = 1 << 11;
    private const ushort Stored = 0;
    private const ushort Deflated = 8;
    private const ushort DosTime = 0;                               // 00:00:00
    private const ushort DosDate = (0 << 9) | (1 << 5) | 1;         // 1980-01-01
    private const int RegularFileType = 0x8000;                     // S_IFREG

    /// <summary>Writes the zip to a temporary file beside <paramref name="zipPath"/> and moves it in place.</summary>
    public static void CreateFile(string zipPath, IEnumerable<ZipInput> inputs, int level = DefaultLevel)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(zipPath))!);
        var temporary = zipPath + ".tmp";
        using (var output = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            Write(output, inputs, level);
        File.Move(temporary, zipPath, overwrite: true);
    }

    public static void Write(Stream output, IEnumerable<ZipInput> inputs, int level = DefaultLevel)
    {
        if (level is < 0 or > 9) throw new ArgumentOutOfRangeException(nameof(level), level, "zlib levels are 0 to 9");
        var ordered = Validate(inputs);
        var central = new MemoryStream();
        long offset = 0;
        // Entries compress in parallel (each independently, so the bytes do not depend on scheduling) and are
        // written in order.
        foreach (var entry in ordered.AsParallel().AsOrdered().WithDegreeOfParallelism(Environment.ProcessorCount).Select(i => Compress(i, level)))
        {
            if (offset > uint.MaxValue) throw TooLarge();
            var local = Header(entry, (uint)offset, centralDirectory: false);
            output.Write(local);
            output.Write(entry.Data.Span);
            central.Write(Header(entry, (uint)offset, centralDirectory: true));
            offset += local.Length + entry.Data.Length;
        }
        if (offset + central.Length > uint.MaxValue) throw TooLarge();
        central.Position = 0;
        central.CopyTo(output);
        output.Write(EndOfCentralDirectory(ordered.Count, (uint)central.Length, (uint)offset));
    }

    private static List<ZipInput> Validate(IEnumerable<ZipInput> inputs)
    {
        var ordered = inputs.OrderBy(i => i.EntryName, StringComparer.Ordinal).ToList();
        if (ordered.Count >= ushort.MaxValue) throw new PackagingException($"{ordered.Count} files is more than a zip without zip64 holds (65534).");
        for (var i = 0; i < ordered.Count; i++)
        {
            var name = ordered[i].EntryName;
            if (name.Length == 0 || name.StartsWith('/') || name.Contains('\\') || name.Split('/').Any(p => p is "" or "." or ".."))
                throw new PackagingException($"'{name}' is not a relative '/' separated file name: zip entries must be.");
            if (i > 0 && ordered[i - 1].EntryName == name) throw new PackagingException($"'{name}' is listed twice.");
            SymbolicLinks.Refuse(ordered[i]);
        }
        return ordered;
    }

    private static CompressedEntry Compress(ZipInput input, int level)
    {
        var raw = File.ReadAllBytes(input.SourcePath);
        if ((ulong)raw.LongLength >= uint.MaxValue) throw TooLarge();
        var crc = Crc32.HashToUInt32(raw);
        if (level > 0 && raw.Length > 0)
        {
            var buffer = new MemoryStream(raw.Length / 2 + 64);
            using (var deflate = new DeflateStream(buffer, new ZLibCompressionOptions { CompressionLevel = level, CompressionStrategy = ZLibCompressionStrategy.Default }, leaveOpen: true))
                deflate.Write(raw);
            // Stored wins when deflate does not shrink the file (tiny or already compressed files).
            if (buffer.Length < raw.Length)
                return new CompressedEntry(input, Deflated, crc, raw.Length, buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
        }
        return new CompressedEntry(input, Stored, crc, raw.Length, raw);
    }

    private static byte[] Header(CompressedEntry entry, uint localHeaderOffset, bool centralDirectory)
    {
        var name = Encoding.UTF8.GetBytes(entry.Input.EntryName);
        var ascii = name.Length == entry.Input.EntryName.Length;
        var header = new MemoryStream((centralDirectory ? 46 : 30) + name.Length);
        using var write = new BinaryWriter(header);                 // always little-endian, as zip is
        write.Write(centralDirectory ? 0x02014b50u : 0x04034b50u);
        if (centralDirectory) write.Write(MadeByUnix);
        write.Write(entry.Method == Deflated ? NeedsDeflate : NeedsStore);
        write.Write(ascii ? (ushort)0 : Utf8Names);
        write.Write(entry.Method);
        write.Write(DosTime);
        write.Write(DosDate);
        write.Write(entry.Crc);
        write.Write((uint)entry.Data.Length);
        write.Write((uint)entry.Length);
        write.Write((ushort)name.Length);
        write.Write((ushort)0);                                     // no extra fields: they carry times and uid/gid
        if (centralDirectory)
        {
            write.Write((ushort)0);                                 // comment
            write.Write((ushort)0);                                 // disk
            write.Write((ushort)0);                                 // internal attributes
            write.Write((uint)(RegularFileType | (int)entry.Input.Mode) << 16);
            write.Write(localHeaderOffset);
        }
        write.Write(name);
        write.Flush();
        return header.ToArray();
    }

    private static byte[] EndOfCentralDirectory(int entries, uint size, uint offset)
    {
        var record = new byte[22];
        var span = record.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, 0x06054b50u);
        BinaryPrimitives.WriteUInt16LittleEndian(span[8..], (ushort)entries);
        BinaryPrimitives.WriteUInt16LittleEndian(span[10..], (ushort)entries);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], size);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], offset);
        return record;
    }

    private static PackagingException TooLarge() => new("the zip would pass 4 GiB, which needs zip64: package less (no symbols, no self-contained runtime).");

    private sealed record CompressedEntry(ZipInput Input, ushort Method, uint Crc, long Length, ReadOnlyMemory<byte> Data);
}
