using System.IO.Compression;
using System.Security.Cryptography;
using Depoxy.Build.Engine;
using Depoxy.Packaging.Zip;

namespace Depoxy.Packaging.Tests;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // Unix modes and Info-ZIP are the point
public sealed class DeterministicZipTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("depoxy-zip-").FullName;

    private string Folder(string name, bool reverseCreation = false)
    {
        var folder = Path.Combine(_work, name);
        var files = new (string Path, string Content)[]
        {
            ("run.sh", "#!/bin/sh\nexec dotnet Depoxy.Api.dll\n"),
            ("Depoxy.Api.dll", string.Concat(Enumerable.Repeat("not really IL, but compressible text. ", 400))),
            ("wwwroot/b.txt", "b"),
            ("wwwroot/B.txt", "upper B"),
            ("_underscore.json", "{}"),
            ("empty.txt", ""),
        };
        foreach (var (path, content) in reverseCreation ? files.Reverse() : files)
        {
            var full = Path.Combine(folder, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
            File.SetLastWriteTimeUtc(full, reverseCreation ? DateTime.UtcNow : new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc));
        }
        if (reverseCreation) File.SetUnixFileMode(Path.Combine(folder, "_underscore.json"), FileModes.Executable);
        return folder;
    }

    private string ZipOf(string folder, string name)
    {
        var zip = Path.Combine(_work, name);
        DeterministicZip.CreateFile(zip, FolderFiles.Collect(folder, FileModes.WithExecutables("run.sh")));
        return zip;
    }

    [Fact]
    public void Same_files_give_the_same_bytes_whatever_their_times_disk_modes_creation_order_or_folder()
    {
        var first = File.ReadAllBytes(ZipOf(Folder("one"), "one.zip"));
        var second = File.ReadAllBytes(ZipOf(Folder("elsewhere/two", reverseCreation: true), "two.zip"));

        Assert.Equal(Convert.ToHexString(SHA256.HashData(first)), Convert.ToHexString(SHA256.HashData(second)));
    }

    [Fact]
    public void A_changed_byte_changes_the_zip()
    {
        var folder = Folder("one");
        var before = File.ReadAllBytes(ZipOf(folder, "before.zip"));
        File.AppendAllText(Path.Combine(folder, "wwwroot/b.txt"), "!");

        Assert.NotEqual(before, File.ReadAllBytes(ZipOf(folder, "after.zip")));
    }

    [Fact]
    public void Central_directory_is_ordinal_sorted_unix_made_1980_without_extra_fields()
    {
        var entries = CentralEntry.Read(File.ReadAllBytes(ZipOf(Folder("one"), "one.zip")));

        Assert.Equal(["Depoxy.Api.dll", "_underscore.json", "empty.txt", "run.sh", "wwwroot/B.txt", "wwwroot/b.txt"], entries.Select(e => e.Name));
        Assert.All(entries, e =>
        {
            Assert.Equal(3, e.MadeBy >> 8);
            Assert.Equal(0, e.Time);
            Assert.Equal((1 << 5) | 1, e.Date);
            Assert.Equal(0, e.ExtraLength);
            Assert.Equal(0x8000u, (e.ExternalAttributes >> 16) & 0xF000u);
        });
        Assert.Equal(Convert.ToInt32("755", 8), entries.Single(e => e.Name == "run.sh").Mode);
        Assert.All(entries.Where(e => e.Name != "run.sh"), e => Assert.Equal(Convert.ToInt32("644", 8), e.Mode));
        Assert.Equal(8, entries.Single(e => e.Name == "Depoxy.Api.dll").Method);
        Assert.Equal(0, entries.Single(e => e.Name == "empty.txt").Method);
    }

    [Fact]
    public async Task Unzip_tests_it_and_zipinfo_shows_unix_1980_and_the_modes()
    {
        var zip = ZipOf(Folder("one"), "one.zip");

        var test = await Tool.RunAsync("unzip", ["-t", zip], echoOutput: false);
        Assert.Contains("No errors detected", test.StandardOutput);

        var lines = await ZipInfoLine.ReadAsync(zip);
        Assert.Equal(6, lines.Count);
        Assert.All(lines, l =>
        {
            Assert.Equal("unx", l.Host);
            Assert.Equal("19800101.000000", l.Timestamp);
        });
        Assert.Equal("-rwxr-xr-x", lines.Single(l => l.Name == "run.sh").Permissions);
        Assert.All(lines.Where(l => l.Name != "run.sh"), l => Assert.Equal("-rw-r--r--", l.Permissions));
        Assert.Equal("defN", lines.Single(l => l.Name == "Depoxy.Api.dll").Method);
    }

    [Fact]
    public async Task Unzip_restores_the_executable_bit_and_the_contents()
    {
        var folder = Folder("one");
        var zip = ZipOf(folder, "one.zip");
        var target = Path.Combine(_work, "extracted");

        await Tool.RunAsync("unzip", ["-q", zip, "-d", target], echoOutput: false);

        Assert.True(File.GetUnixFileMode(Path.Combine(target, "run.sh")).HasFlag(UnixFileMode.UserExecute));
        Assert.False(File.GetUnixFileMode(Path.Combine(target, "empty.txt")).HasFlag(UnixFileMode.UserExecute));
        foreach (var file in FolderFiles.Collect(folder))
            Assert.Equal(File.ReadAllBytes(file.SourcePath), File.ReadAllBytes(Path.Combine(target, file.EntryName)));
    }

    [Fact]
    public void System_IO_Compression_reads_it_back_with_1980_times_and_modes()
    {
        using var archive = ZipFile.OpenRead(ZipOf(Folder("one"), "one.zip"));

        var run = archive.GetEntry("run.sh")!;
        Assert.Equal(new DateTime(1980, 1, 1), run.LastWriteTime.DateTime);
        Assert.Equal(Convert.ToUInt32("100755", 8), (uint)run.ExternalAttributes >> 16);
        using var reader = new StreamReader(archive.GetEntry("Depoxy.Api.dll")!.Open());
        Assert.StartsWith("not really IL", reader.ReadToEnd());
    }

    [Fact]
    public void Extension_less_elf_files_are_executable_other_files_are_not()
    {
        var folder = Path.Combine(_work, "elf");
        Directory.CreateDirectory(folder);
        byte[] elf = [0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0];
        File.WriteAllBytes(Path.Combine(folder, "Depoxy.Api"), elf);
        File.WriteAllBytes(Path.Combine(folder, "native.so"), elf);
        File.WriteAllText(Path.Combine(folder, "README"), "text");

        var modes = FolderFiles.Collect(folder).ToDictionary(i => i.EntryName, i => i.Mode);

        Assert.Equal(FileModes.Executable, modes["Depoxy.Api"]);
        Assert.Equal(FileModes.Regular, modes["native.so"]);
        Assert.Equal(FileModes.Regular, modes["README"]);
    }

    [Fact]
    public void Incompressible_files_are_stored_and_read_back_intact()
    {
        var folder = Path.Combine(_work, "random");
        Directory.CreateDirectory(folder);
        var noise = RandomNumberGenerator.GetBytes(50_000);
        File.WriteAllBytes(Path.Combine(folder, "noise.bin"), noise);
        var zip = ZipOf(folder, "random.zip");

        Assert.Equal(0, CentralEntry.Read(File.ReadAllBytes(zip)).Single().Method);
        using var archive = ZipFile.OpenRead(zip);
        using var content = new MemoryStream();
        archive.Entries.Single().Open().CopyTo(content);
        Assert.Equal(noise, content.ToArray());
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("/absolute.txt")]
    [InlineData("a//b.txt")]
    [InlineData("back\\slash.txt")]
    public void Entry_names_that_are_not_relative_paths_are_refused(string name)
    {
        var file = Path.Combine(_work, "x.txt");
        File.WriteAllText(file, "x");

        var error = Assert.Throws<PackagingException>(() => DeterministicZip.Write(new MemoryStream(), [new ZipInput(name, file, FileModes.Regular)]));
        Assert.Contains(name, error.Message);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
