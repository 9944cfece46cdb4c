using System.Diagnostics;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Depoxy.Testing;

namespace Depoxy.Iam.Tests;

[CollectionDefinition(Name)]
public sealed class CiStackCollection : ICollectionFixture<CiStack>
{
    public const string Name = "tf/ci applied to moto";
}

/// <summary>
/// tf/ci applied by real Terraform (1.11, the provider from the machine's filesystem mirror) to moto, with local state
/// in a temporary copy, and the policies it created read back from moto's IAM and S3. moto ignores Bool and Null
/// bucket-policy conditions, so the deny statements may refuse moto's object calls: nothing here writes objects, the
/// policies are only read back and handed to the simulator.
/// </summary>
public sealed class CiStack : IAsyncLifetime
{
    public const string Repository = "acme/depoxy";

    private readonly MotoServer _moto = new();
    private DirectoryInfo? _workspace;

    public CiPolicies Policies { get; private set; } = null!;

    /// <summary><c>terraform output -json</c> of tf/ci: output name → value.</summary>
    public IReadOnlyDictionary<string, string> Outputs { get; private set; } = null!;

    public TimeSpan ApplyTime { get; private set; }

    public async Task InitializeAsync()
    {
        await _moto.InitializeAsync();
        _workspace = Directory.CreateTempSubdirectory("depoxy-iam-");
        // The stack's relative module source (../../modules/github-oidc-role) must resolve in the copy too.
        var stack = CopyStack(_workspace.FullName);
        var clock = Stopwatch.StartNew();
        await TerraformAsync(stack, "init", "-input=false", "-no-color");
        await TerraformAsync(stack, "apply", "-auto-approve", "-input=false", "-no-color", $"-var=github-repository={Repository}");
        ApplyTime = clock.Elapsed;
        Outputs = ParseOutputs(await TerraformAsync(stack, "output", "-json", "-no-color"));
        Policies = await new CiPolicyReader(_moto.Aws, _moto.Endpoint).ReadAsync();
    }

    public async Task DisposeAsync()
    {
        await _moto.DisposeAsync();
        _workspace?.Delete(recursive: true);
    }

    private static string CopyStack(string root)
    {
        CopyDirectory(RepositoryRoot.Combine("tf", "ci"), Path.Combine(root, "tf", "ci"));
        CopyDirectory(RepositoryRoot.Combine("modules", "github-oidc-role"), Path.Combine(root, "modules", "github-oidc-role"));
        var stack = Path.Combine(root, "tf", "ci");
        // Local state for the test: the committed backend "s3" {} is completed at init in CI, an override replaces it here.
        File.WriteAllText(Path.Combine(stack, "backend_override.tf"), "terraform {\n  backend \"local\" {}\n}\n");
        File.WriteAllText(Path.Combine(root, "terraform.tfrc"), CliConfiguration());
        return stack;
    }

    /// <summary>The folder holding registry.terraform.io/hashicorp/aws/5.100.0 on machines without registry access.</summary>
    private const string TerraformMirror = "/opt/tf-plugins";

    /// <summary>
    /// Providers from the filesystem mirror where there is one, never from the registry; elsewhere Terraform's defaults.
    /// Passed to the terraform processes only, since the machine's own TF_CLI_CONFIG_FILE names a missing file.
    /// </summary>
    private static string CliConfiguration() =>
        Directory.Exists(Path.Combine(TerraformMirror, "registry.terraform.io"))
            ? $$"""
              provider_installation {
                filesystem_mirror {
                  path    = "{{TerraformMirror}}"
                  include = ["registry.terraform.io/*/*"]
                }
                direct {
                  exclude = ["registry.terraform.io/*/*"]
                }
              }
              """
            : "";

    private async Task<string> TerraformAsync(string stack, params string[] arguments)
    {
        var terraform = MotoServer.FindOnPath("terraform") ?? throw new InvalidOperationException("terraform not found on PATH: install Terraform >= 1.11");
        var environment = _moto.EnvironmentVariables.ToDictionary(e => e.Key, e => (string?)e.Value);
        environment["TF_CLI_CONFIG_FILE"] = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(stack))!, "terraform.tfrc");
        environment["TF_IN_AUTOMATION"] = "1";
        environment["TF_INPUT"] = "0";
        var result = await Cli.Wrap(terraform)
            .WithArguments(arguments)
            .WithWorkingDirectory(stack)
            .WithEnvironmentVariables(environment)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"terraform {arguments[0]} of tf/ci on moto failed with exit code {result.ExitCode}: {result.StandardError}{result.StandardOutput}");
        return result.StandardOutput;
    }

    private static Dictionary<string, string> ParseOutputs(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject()
            .Where(o => o.Value.GetProperty("value").ValueKind == JsonValueKind.String)
            .ToDictionary(o => o.Name, o => o.Value.GetProperty("value").GetString()!);
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
            if (!Path.GetFileName(file).StartsWith(".terraform", StringComparison.Ordinal) && !file.EndsWith(".tfstate", StringComparison.Ordinal))
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
    }
}
