using System.IO.Compression;
using System.Text;

namespace Depoxy.Packaging.Tests;

/// <summary>
/// Runs the real dotnet publish with the packaging settings, on a tiny project standing in for the API (the API's
/// own publish is slower; bench/reproducible.sh covers it from two clones).
/// </summary>
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
                  </PropertyGroup>
                  <ItemGroup>
                    <None Include="run.sh" CopyToPublishDirectory="PreserveNewest" />
                  </ItemGroup>
                </Project>
                """)
            .Write("Program.cs", """
                using System.Runtime.CompilerServices;
                Console.WriteLine(Where());
                static string Where([CallerFilePath] string path = "") => path;
                """)
            .Write("run.sh", "#!/bin/sh\nexec dotnet Stand.In.dll \"$@\"\n");
        _repos.Add(repo);
        await repo.CommitAsync();

        var packager = new ApiPackager(repo.Root, "Stand.In.csproj");
        var zip = repo["artifacts/api.zip"];
        packager.Zip(await packager.PublishAsync(), zip);
        return (zip, File.ReadAllBytes(zip));
    }

    [Fact]
    public async Task Publishing_in_two_directories_gives_the_same_zip_with_no_build_paths_inside()
    {
        var published = await Task.WhenAll(PublishAndZipAsync("a"), PublishAndZipAsync(Path.Combine("somewhere", "much", "deeper")));
        var ((zipA, first), (_, second)) = (published[0], published[1]);

        Assert.Equal(Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(first)),
            Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(second)));
        using var archive = ZipFile.OpenRead(zipA);
        var names = archive.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("Stand.In.dll", names);
        Assert.Contains("run.sh", names);
        Assert.DoesNotContain(names, n => n.EndsWith(".pdb") || n == "Stand.In" || n == "web.config");
        Assert.Equal(Convert.ToUInt32("100755", 8), (uint)archive.GetEntry("run.sh")!.ExternalAttributes >> 16);
        using var dll = new MemoryStream();
        archive.GetEntry("Stand.In.dll")!.Open().CopyTo(dll);
        var text = Encoding.Unicode.GetString(dll.ToArray()) + Encoding.UTF8.GetString(dll.ToArray());
        Assert.Contains("/_/Program.cs", text);
        Assert.DoesNotContain(Path.GetTempPath().TrimEnd('/'), text);
    }

    public void Dispose()
    {
        foreach (var repo in _repos) repo.Dispose();
    }
}
