using Depoxy.Testing;

namespace Depoxy.Packaging.Tests;

public sealed class ApiInputsTests : IDisposable
{
    private const string Project = "api/App/App.csproj";
    private const string Sdk = "10.0.401";

    private readonly TempRepository _repo = new TempRepository()
        .Write(Project, """
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <ItemGroup>
                <ProjectReference Include="../../src/Lib/Lib.csproj" />
                <EmbeddedResource Include="../../modules/gateway/cors.json" LogicalName="cors.json" />
              </ItemGroup>
            </Project>
            """)
        .Write("api/App/Program.cs", "Console.WriteLine(Lib.Name);")
        .Write("api/App/bin/Release/App.dll", "build output")
        .Write("api/App/obj/project.assets.json", "{}")
        .Write("src/Lib/Lib.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup><ProjectReference Include="..\Deep\Deep.csproj" /></ItemGroup>
            </Project>
            """)
        .Write("src/Lib/Lib.cs", "public static class Lib { public const string Name = Deep.Name; }")
        .Write("src/Deep/Deep.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />")
        .Write("src/Deep/Deep.cs", "public static class Deep { public const string Name = \"deep\"; }")
        .Write("src/Pipeline/Pipeline.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup><ProjectReference Include=\"../Lib/Lib.csproj\" /></ItemGroup></Project>")
        .Write("src/Pipeline/Recording/AwsCall.cs", "public sealed record AwsCall;")
        .Write("modules/gateway/cors.json", """{"allow_origins":["https://example.com"]}""")
        .Write("modules/gateway/main.tf", "resource \"aws_apigatewayv2_api\" \"this\" {}")
        .Write("Directory.Build.props", "<Project><PropertyGroup><Nullable>enable</Nullable></PropertyGroup></Project>")
        .Write("Directory.Packages.props", "<Project><ItemGroup><PackageVersion Include=\"AWSSDK.Core\" Version=\"4.1.0\" /></ItemGroup></Project>")
        .Write("global.json", """{"sdk":{"version":"10.0.401"}}""")
        .Write("www/index.html", "<!doctype html><title>site</title>")
        .Write("tests/App.Tests/AppTests.cs", "public class AppTests {}");

    private string Hash(string sdk = Sdk, params string[] settings) =>
        new ApiInputs(_repo.Root, Project, sdk, settings.Length == 0 ? ApiPackager.ReproducibleProperties : settings).Hash();

    [Fact]
    public void The_inputs_are_the_project_folders_it_references_transitively_the_files_it_embeds_and_the_build_files()
    {
        Assert.Equal(
            [
                "Directory.Build.props", "Directory.Packages.props", "api/App/App.csproj", "api/App/Program.cs", "global.json",
                "modules/gateway/cors.json", "src/Deep/Deep.cs", "src/Deep/Deep.csproj", "src/Lib/Lib.cs", "src/Lib/Lib.csproj",
            ],
            new ApiInputs(_repo.Root, Project, Sdk, []).Files());
    }

    [Theory]
    [InlineData("api/App/Program.cs")]
    [InlineData("src/Deep/Deep.cs")]
    [InlineData("src/Lib/Lib.csproj")]
    [InlineData("modules/gateway/cors.json")]
    [InlineData("Directory.Build.props")]
    [InlineData("Directory.Packages.props")]
    [InlineData("global.json")]
    public void A_change_to_an_input_changes_the_hash(string file)
    {
        var before = Hash();
        File.AppendAllText(_repo[file], "\n<!-- changed -->");
        Assert.NotEqual(before, Hash());
    }

    [Theory]
    [InlineData("www/index.html")]
    [InlineData("tests/App.Tests/AppTests.cs")]
    [InlineData("src/Pipeline/Recording/AwsCall.cs")]
    [InlineData("modules/gateway/main.tf")]
    [InlineData("api/App/bin/Release/App.dll")]
    [InlineData("api/App/obj/project.assets.json")]
    public void A_change_outside_the_inputs_leaves_the_hash_as_it_was(string file)
    {
        var before = Hash();
        File.AppendAllText(_repo[file], "\nchanged");
        Assert.Equal(before, Hash());
    }

    [Fact]
    public void A_package_version_bump_changes_the_hash()
    {
        var before = Hash();
        File.WriteAllText(_repo["Directory.Packages.props"],
            File.ReadAllText(_repo["Directory.Packages.props"]).Replace("Version=\"4.1.0\"", "Version=\"4.1.1\"", StringComparison.Ordinal));
        Assert.NotEqual(before, Hash());
    }

    [Fact]
    public void Another_sdk_or_other_publish_settings_change_the_hash()
    {
        var hashes = new[] { Hash(), Hash(sdk: "10.0.402"), Hash(Sdk, "-p:DebugType=none"), Hash(Sdk, "-p:DebugType=none", "-r linux-arm64") };
        Assert.Equal(hashes.Length, hashes.Distinct().Count());
    }

    [Fact]
    public void A_project_reference_to_a_missing_project_is_refused_naming_it()
    {
        File.WriteAllText(_repo["src/Deep/Deep.csproj"], "<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup><ProjectReference Include=\"../Gone/Gone.csproj\" /></ItemGroup></Project>");
        var error = Assert.Throws<PackagingException>(() => Hash());
        Assert.Contains("src/Gone/Gone.csproj not found", error.Message);
    }

    /// <summary>The real API: its own AWS library is an input, the pipeline's (recording, Lambda, CloudFront) is not.</summary>
    [Fact]
    public async Task A_change_to_the_pipelines_recording_code_leaves_the_real_APIs_input_hash_unchanged_and_one_to_its_AWS_library_does_not()
    {
        var tracked = (await Depoxy.Build.Engine.Tool.RunAsync("git", ["ls-files"], RepositoryRoot.Path, echoOutput: false)).StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(file => file.StartsWith("api/", StringComparison.Ordinal) || file.StartsWith("src/", StringComparison.Ordinal)
                           || file.StartsWith("modules/", StringComparison.Ordinal) || !file.Contains('/'));
        foreach (var file in tracked.Where(file => File.Exists(RepositoryRoot.Combine(file))))
            _repo.Write(file, File.ReadAllText(RepositoryRoot.Combine(file)));
        var inputs = new ApiInputs(_repo.Root, ApiPackager.DefaultProject, Sdk, ApiPackager.ReproducibleProperties);
        var before = inputs.Hash();

        Assert.Contains("src/Depoxy.Aws.Runtime/Depoxy.Aws.Runtime.csproj", inputs.Files());
        Assert.Contains("modules/api-gateway/cors.json", inputs.Files());
        Assert.DoesNotContain(inputs.Files(), file => file.StartsWith("src/Depoxy.Aws/", StringComparison.Ordinal));
        File.AppendAllText(_repo["src/Depoxy.Aws/Recording/AwsCall.cs"], "\n// changed\n");
        Assert.Equal(before, inputs.Hash());
        File.AppendAllText(_repo["src/Depoxy.Aws.Runtime/SignedHttpClient.cs"], "\n// changed\n");
        Assert.NotEqual(before, inputs.Hash());
    }

    public void Dispose() => _repo.Dispose();
}
