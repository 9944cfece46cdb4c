using System.IO.Compression;
using System.Text;

namespace Depoxy.Packaging.Tests;

/// <summary>
/// Runs the real dotnet publish with the packaging settings (Native AOT, linux-x64, the clang found on PATH), on a
/// tiny project standing in for the API (the API's own publish is slower; bench/reproducible.sh covers it from two
/// clones). It runs alone: it executes a file it has just written, and a process another test of this assembly forked
/// meanwhile would hold that file open for a moment, so the kernel would refuse to execute it (ETXTBSY).
/// </summary>
[Trait("Tier", "native")]
[Collection(RunsWhatItWrote.Name)]
public sealed class ApiPackagerTests : IDisposable
{
    private readonly System.Collections.Concurrent.ConcurrentBag<TempRepository> _repos = [];

    private async Task<(string Zip, byte[] Bytes)> PublishAndZipAsync(string nesting)
    {
        var repo = new TempRepository(nesting)
            .Write("Stand.In.csproj", """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <PublishAot>true</PublishAot>
                    <InvariantGlobalization>true</InvariantGlobalization>
                  </PropertyGroup>
                </Project>
                """)
            .Write("Program.cs", """
                using System.Runtime.CompilerServices;
                Console.WriteLine(Where());
                static string Where([CallerFilePath] string path = "") => path;
                """);
        _repos.Add(repo);
        await repo.CommitAsync();

        var packager = new ApiPackager(repo.Root, "Stand.In.csproj");
        var zip = repo["artifacts/api.zip"];
        packager.Zip(await packager.PublishAsync(), zip);
        return (zip, File.ReadAllBytes(zip));
    }

    [Fact]
    public async Task Publishing_in_two_directories_gives_the_same_zip_with_an_executable_bootstrap_and_no_build_paths()
    {
        var published = await Task.WhenAll(PublishAndZipAsync("a"), PublishAndZipAsync(Path.Combine("somewhere", "much", "deeper")));
        var ((zipA, first), (_, second)) = (published[0], published[1]);

        Assert.Equal(Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(first)),
            Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(second)));
        using var archive = ZipFile.OpenRead(zipA);
        var names = archive.Entries.Select(e => e.FullName).ToList();
        Assert.Equal(["bootstrap"], names);
        Assert.Equal(Convert.ToUInt32("100755", 8), (uint)archive.GetEntry("bootstrap")!.ExternalAttributes >> 16);
        using var binary = new MemoryStream();
        archive.GetEntry("bootstrap")!.Open().CopyTo(binary);
        var bytes = binary.ToArray();
        Assert.Equal([0x7F, (byte)'E', (byte)'L', (byte)'F'], bytes[..4]);
        var tempPath = Path.GetTempPath().TrimEnd('/');
        foreach (var encoded in new[] { Encoding.UTF8.GetBytes(tempPath), Encoding.Unicode.GetBytes(tempPath) })
            Assert.Equal(-1, bytes.AsSpan().IndexOf(encoded));

        // The shipped bytes run natively here (x86-64) and report their source path as the CI path map wrote it.
        var extracted = Path.Combine(Path.GetDirectoryName(zipA)!, "extracted");
        ZipFile.ExtractToDirectory(zipA, extracted);
        var run = await Depoxy.Build.Engine.Tool.RunAsync(Path.Combine(extracted, "bootstrap"), [], extracted, echoOutput: false);
        Assert.Equal("/_/Program.cs", run.StandardOutput.Trim());
    }

    [Theory]
    [InlineData(new[] { "clang", "clang-14" }, "clang")]
    [InlineData(new[] { "clang-14" }, "clang-14")]
    [InlineData(new[] { "clang-14", "clang-18" }, "clang-18")]
    public void Native_aot_links_with_clang_or_else_the_newest_versioned_clang(string[] installed, string expected)
    {
        var packager = new ApiPackager("/nowhere", findOnPath: name => installed.Contains(name) ? "/usr/bin/" + name : null);
        Assert.Equal(expected, packager.NativeLinker());
    }

    [Fact]
    public void Without_any_clang_packaging_stops_naming_the_fix()
    {
        var packager = new ApiPackager("/nowhere", findOnPath: _ => null);
        var error = Assert.Throws<PackagingException>(packager.NativeLinker);
        Assert.Contains("apt-get install clang", error.Message);
    }

    public void Dispose()
    {
        foreach (var repo in _repos) repo.Dispose();
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsWhatItWrote
{
    public const string Name = "runs an executable it has just written";
}
