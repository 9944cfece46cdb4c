using System.Collections;
using System.Text.Json;
using Depoxy.Emulator;
using Depoxy.Terraform;
using Xunit;

namespace Depoxy.Testing;

/// <summary>
/// The emulator's account for tests: moto with the emulator's stand-ins, and tf/ci applied by real Terraform (the
/// provider from the machine's mirror) exactly as <c>--emulator</c> bootstraps it. Use it as a collection fixture;
/// without terraform or the provider it fails naming what is missing, it never skips.
/// </summary>
public sealed class EmulatedAccount(string repository = EmulatorAccount.GitHubRepository) : IAsyncLifetime
{
    private DirectoryInfo? _scratch;

    public MotoServer Moto { get; } = new();

    public string Scratch => _scratch!.FullName;

    public TerraformCli Terraform { get; private set; } = null!;

    public EmulatorAccount Account { get; private set; } = null!;

    public EmulatorServer Server => new(Moto.Endpoint.Port, Environment.ProcessId);

    public TimeSpan BootstrapTime { get; private set; }

    /// <summary>A parameter of .nuke/parameters.json, overridden by .nuke/parameters.&lt;stage&gt;.json when a stage is given.</summary>
    public static string Parameter(string name, string? stage = null)
    {
        foreach (var file in stage is null ? ["parameters.json"] : new[] { $"parameters.{stage}.json", "parameters.json" })
        {
            using var json = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.Combine(".nuke", file)));
            if (json.RootElement.TryGetProperty(name, out var value)) return value.GetString()!;
        }
        throw new InvalidOperationException($".nuke/parameters*.json set no {name}");
    }

    public async Task InitializeAsync()
    {
        await Moto.InitializeAsync();
        _scratch = Directory.CreateTempSubdirectory("depoxy-account-");
        var variables = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value);
        Terraform = new TerraformCli(TerraformToolchain.Resolve(variables, Scratch, offline: true), Moto.Aws.ChildProcessVariables);
        Account = new EmulatorAccount(Server, Terraform, RepositoryRoot.Path, Path.Combine(Scratch, "bootstrap"), repository);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Account.EnsureBootstrappedAsync(Parameter("StateBucket", "dev"));
        BootstrapTime = clock.Elapsed;
    }

    public async Task DisposeAsync()
    {
        await Moto.DisposeAsync();
        _scratch?.Delete(recursive: true);
    }
}
