namespace Depoxy.Terraform.Tests;

public sealed class TerraformExecutableTests
{
    [Fact]
    public void Missing_terraform_is_one_line_naming_setup_terraform()
    {
        var empty = Directory.CreateTempSubdirectory("depoxy-no-tf-").FullName;
        try
        {
            var e = Assert.Throws<TerraformException>(() => TerraformExecutable.Find(null, empty));

            Assert.StartsWith("terraform ≥ 1.11 not found on PATH: install it from https://github.com/hashicorp/setup-terraform", e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public void Terraform_is_found_on_PATH()
    {
        using var standIn = new StandInTerraform();
        var path = string.Join(System.IO.Path.PathSeparator, "/nonexistent-depoxy", standIn.Folder);

        Assert.Equal(standIn.Executable, TerraformExecutable.Find(null, path));
    }

    [Fact]
    public void The_TERRAFORM_override_wins_over_PATH_and_must_exist()
    {
        using var standIn = new StandInTerraform();

        Assert.Equal(standIn.Executable, TerraformExecutable.Find(standIn.Executable, "/usr/bin"));
        var e = Assert.Throws<TerraformException>(() => TerraformExecutable.Find("/nonexistent-depoxy/terraform", "/usr/bin"));
        Assert.Contains("TERRAFORM=/nonexistent-depoxy/terraform does not exist", e.Message);
    }

    [Fact]
    public async Task A_binary_that_cannot_start_gives_the_not_found_message()
    {
        var cli = new TerraformCli("/nonexistent-depoxy/terraform");

        var e = await Assert.ThrowsAsync<TerraformException>(() => cli.RunAsync(System.IO.Path.GetTempPath(), ["version"]));

        Assert.Equal(TerraformExecutable.NotFoundMessage, e.Message);
    }
}
