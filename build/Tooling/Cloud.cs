using System.Collections;
using Depoxy.Aws;
using Depoxy.Aws.Recording;
using Depoxy.Emulator;
using Depoxy.Terraform;

/// <summary>
/// The one environment of a run, built once from the parameters and handed to every component: where AWS is (the
/// SDK's default chain, or the emulator, bootstrapped as a new account) and how terraform runs (binary, CLI config,
/// module sources). Nothing is set in the process: children get what they need through <see cref="AwsEnvironment.ChildProcessVariables"/>.
/// </summary>
sealed class Cloud
{
    private readonly string _root;
    private readonly IReadOnlyDictionary<string, string?> _variables;
    private readonly string? _terraformRequestLog;
    private TerraformToolchain? _terraform;
    private string? _webAdapterLayer;

    private Cloud(string root, AwsEnvironment aws, EmulatorServer? emulator, IReadOnlyDictionary<string, string?> variables, string? terraformRequestLog)
    {
        _root = root;
        _terraformRequestLog = terraformRequestLog;
        Aws = aws;
        Emulator = emulator;
        _variables = variables;
    }

    public AwsEnvironment Aws { get; }

    public EmulatorServer? Emulator { get; }

    /// <param name="calls">Records every call the build's own clients make; the emulator's bootstrap and stand-ins are not recorded.</param>
    /// <param name="terraformRequestLog">Where the pipeline's terraform runs log their AWS requests (<see cref="Depoxy.Terraform.TerraformCli.RequestLogDirectory"/>).</param>
    public static async Task<Cloud> ConnectAsync(string root, bool emulator, string stateBucket, IAwsCallRecorder? calls, string? terraformRequestLog,
        CancellationToken cancellationToken)
    {
        var variables = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
        if (!emulator) return new Cloud(root, AwsEnvironment.FromProcess() with { Calls = calls }, null, variables, terraformRequestLog);

        var server = await EmulatorServer.StartOrAttachAsync(root, cancellationToken);
        var cloud = new Cloud(root, server.Aws with { Calls = calls }, server, variables, terraformRequestLog);
        await cloud.Account().EnsureBootstrappedAsync(stateBucket, cancellationToken);
        return cloud;
    }

    /// <summary>terraform and its CLI config, found once by TerraformToolchain's rule; offline (emulator) runs need a provider mirror.</summary>
    public TerraformToolchain Terraform =>
        _terraform ??= TerraformToolchain.Resolve(_variables, Path.Combine(_root, ".nuke", "temp"), offline: Emulator is not null);

    public TerraformCli TerraformCli() => new(Terraform, Aws.ChildProcessVariables) { RequestLogDirectory = _terraformRequestLog };

    /// <summary>The settings every plan and apply of a stage gets; against the emulator, module sources and the layer point into it.</summary>
    public async Task<TerraformSettings> TerraformSettingsAsync(TerraformSettings settings, CancellationToken cancellationToken)
    {
        if (Emulator is null) return settings;
        _webAdapterLayer ??= await Account().WebAdapterLayerArnAsync(cancellationToken);
        return settings with
        {
            Modules = new ModuleEndpoint(Emulator.Endpoint.ToString(), Aws.ChildProcessVariables["AWS_ACCESS_KEY_ID"]!,
                Aws.ChildProcessVariables["AWS_SECRET_ACCESS_KEY"]!, Aws.Region.SystemName),
            ApiVariables = new Dictionary<string, string> { ["lambda-layers"] = $"[\"{_webAdapterLayer}\"]" },
        };
    }

    /// <summary>The account's bootstrap is an administrator's, not the pipeline's: its terraform runs are not logged.</summary>
    private EmulatorAccount Account() => new(Emulator!, new TerraformCli(Terraform, Aws.ChildProcessVariables), _root);
}
