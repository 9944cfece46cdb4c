namespace Depoxy.Terraform.Tests;

/// <summary>An emulator run's terraform installs providers from a local mirror whatever TF_CLI_CONFIG_FILE says, or does not run.</summary>
public sealed class TerraformToolchainTests : IDisposable
{
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("depoxy-toolchain-");
    private readonly StandInTerraform _terraform = new();

    private string Mirror()
    {
        var mirror = Path.Combine(_scratch.FullName, "mirror");
        Directory.CreateDirectory(Path.Combine(mirror, "registry.terraform.io", "hashicorp", "aws", "5.100.0"));
        return mirror;
    }

    private string Config(string text)
    {
        var file = Path.Combine(_scratch.FullName, "user.tfrc");
        File.WriteAllText(file, text);
        return file;
    }

    private TerraformToolchain Resolve(string config, bool offline) => TerraformToolchain.Resolve(new Dictionary<string, string?>
    {
        ["PATH"] = _terraform.Folder,
        ["HOME"] = _scratch.FullName,
        [TerraformToolchain.MirrorVariable] = Mirror(),
        [TerraformToolchain.CliConfigVariable] = config,
    }, Path.Combine(_scratch.FullName, "build"), offline);

    [Fact]
    public void An_emulator_run_completes_a_cli_config_without_provider_installation_with_the_mirror()
    {
        var config = Config("plugin_cache_dir = \"/tmp/cache\"\n");

        var toolchain = Resolve(config, offline: true);

        Assert.NotEqual(config, toolchain.CliConfigFile);
        var written = File.ReadAllText(toolchain.CliConfigFile!);
        Assert.Contains("plugin_cache_dir = \"/tmp/cache\"", written);
        Assert.Contains($"path    = \"{Mirror()}\"", written);
        Assert.Contains("exclude = [\"registry.terraform.io/*/*\"]", written);
    }

    [Fact]
    public void An_emulator_run_refuses_a_cli_config_whose_installation_names_no_mirror()
    {
        var config = Config("provider_installation {\n  direct {}\n}\n");

        var e = Assert.Throws<TerraformException>(() => Resolve(config, offline: true));

        Assert.Equal($"TF_CLI_CONFIG_FILE={config} installs providers without a filesystem_mirror or network_mirror, so the emulator's terraform would reach " +
                     "for the public registry: add a filesystem_mirror block naming the folder that holds registry.terraform.io, or unset TF_CLI_CONFIG_FILE.", e.Message);
    }

    [Fact]
    public void A_cli_config_that_names_a_mirror_is_honoured_as_it_is_and_any_config_against_aws()
    {
        var mirrored = Config(TerraformToolchain.MirrorConfig("/opt/elsewhere"));
        Assert.Equal(mirrored, Resolve(mirrored, offline: true).CliConfigFile);

        var bare = Config("provider_installation {\n  direct {}\n}\n");
        Assert.Equal(bare, Resolve(bare, offline: false).CliConfigFile);
    }

    public void Dispose()
    {
        _terraform.Dispose();
        _scratch.Delete(recursive: true);
    }
}
