namespace Depoxy.Packaging.Tests;

/// <summary>modules/&lt;m&gt;/VERSION must be a semantic version: "v1" was published as modules/lambda/v1/….</summary>
public sealed class ModuleVersionFileTests : IDisposable
{
    private readonly TempRepository _repo = new();

    [Theory]
    [InlineData("v1")]
    [InlineData("1")]
    [InlineData("1.0")]
    [InlineData("v1.0.0")]
    [InlineData("01.0.0")]
    [InlineData("1.0.0+build.5")]
    public void A_VERSION_that_is_not_a_semantic_version_is_refused_naming_the_file_and_an_example(string version)
    {
        _repo.Write("modules/lambda/VERSION", version + "\n").Write("modules/lambda/main.tf", "");

        var error = Assert.Throws<PackagingException>(() => ModuleSource.Read(_repo["modules/lambda"]));

        Assert.Equal(
            $"modules/lambda/VERSION holds '{version}', which is not a semantic version: write MAJOR.MINOR.PATCH such as 1.0.0 (no 'v'; 1.1.0-rc.1 for a pre-release).",
            error.Message);
    }

    [Fact]
    public void Discovering_the_modules_refuses_a_bad_VERSION_before_anything_is_packaged()
    {
        _repo.Write("modules/lambda/VERSION", "0.1.0").Write("modules/site/VERSION", "v1");

        var error = Assert.Throws<PackagingException>(() => ModuleSource.Discover(_repo.Root));

        Assert.StartsWith("modules/site/VERSION holds 'v1', which is not a semantic version", error.Message);
    }

    [Theory]
    [InlineData("0.1.0")]
    [InlineData("1.0.0")]
    [InlineData("10.20.30")]
    [InlineData("1.1.0-rc.1")]
    [InlineData("1.0.0-alpha-2.x")]
    public void A_semantic_VERSION_is_accepted_and_names_the_module_key(string version)
    {
        _repo.Write("modules/lambda/VERSION", version + "\n");

        var module = ModuleSource.Read(_repo["modules/lambda"]);

        Assert.Equal(version, module.Version);
        Assert.Equal($"modules/lambda/{version}/lambda.zip", module.Key);
    }

    public void Dispose() => _repo.Dispose();
}
