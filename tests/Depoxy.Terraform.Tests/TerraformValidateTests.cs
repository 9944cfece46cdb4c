using System.Collections;
using System.Text.RegularExpressions;
using Depoxy.Testing;

namespace Depoxy.Terraform.Tests;

/// <summary>
/// The real terraform over every module and stack, offline with the provider from the machine's mirror:
/// <c>terraform fmt -check</c> and <c>terraform validate</c>. Stacks are validated in a scratch copy whose published
/// module sources point at the modules of this checkout, so a stack is checked against the module it will get.
/// </summary>
[Trait("Tier", "terraform")]
public sealed partial class TerraformValidateTests : IDisposable
{
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("depoxy-validate-");

    private TerraformCli Terraform()
    {
        var variables = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value);
        return new TerraformCli(TerraformToolchain.Resolve(variables, _scratch.FullName, offline: true), new Dictionary<string, string?>());
    }

    [Fact]
    public async Task Every_module_and_stack_is_formatted_as_terraform_fmt_writes_it()
    {
        var output = await Terraform().RunAsync(RepositoryRoot.Path, ["fmt", "-check", "-recursive", "-no-color", "modules", "tf"], echoOutput: false);

        Assert.Equal("", output.Trim());
    }

    [Fact]
    public async Task Every_module_and_stack_validates_against_the_provider()
    {
        var terraform = Terraform();
        var folders = Directory.GetDirectories(RepositoryRoot.Combine("modules"))
            .Concat([RepositoryRoot.Combine("tf", "ci")])
            .Concat(TerraformStack.Stages.SelectMany(stage => TerraformStack.Names.Select(name => RepositoryRoot.Combine("tf", stage, name))))
            .Select(folder => Path.GetRelativePath(RepositoryRoot.Path, folder))
            .ToList();
        foreach (var folder in folders) Copy(folder);

        // Two at a time: each loads the provider's schema, which keeps one core busy for a few seconds.
        using var slots = new SemaphoreSlim(2);
        var failures = (await Task.WhenAll(folders.Select(async folder =>
        {
            await slots.WaitAsync();
            try
            {
                var copy = Path.Combine(_scratch.FullName, folder);
                await terraform.RunAsync(copy, ["init", "-backend=false", "-input=false", "-no-color"], echoOutput: false);
                await terraform.RunAsync(copy, ["validate", "-no-color"], echoOutput: false);
                return null;
            }
            catch (TerraformException e)
            {
                return $"{folder}: {e.Message}";
            }
            finally
            {
                slots.Release();
            }
        }))).OfType<string>().ToList();

        Assert.Equal(13, folders.Count);
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    private void Copy(string folder)
    {
        var target = Path.Combine(_scratch.FullName, folder);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(RepositoryRoot.Combine(folder)).Where(f => !Path.GetFileName(f).StartsWith(".terraform", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            File.WriteAllText(Path.Combine(target, Path.GetFileName(file)), file.EndsWith(".tf", StringComparison.Ordinal) ? PublishedSource().Replace(text, "\"../../../modules/${name}\"") : text);
        }
    }

    [GeneratedRegex(@"""s3::https://[^/""]+/[^/""]+/modules/(?<name>[a-z0-9-]+)/[^""]+""")]
    private static partial Regex PublishedSource();

    public void Dispose() => _scratch.Delete(recursive: true);
}
