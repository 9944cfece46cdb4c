using System.Text.Json;
using Depoxy.Build.Engine;

namespace Depoxy.Terraform;

/// <summary>
/// Calls the terraform binary through the engine's tool runner, non-interactively, in a stack's folder, with the
/// environment it is given (CLI config, AWS endpoint and credentials) and nothing set process-wide.
/// </summary>
public sealed class TerraformCli(string executable, IReadOnlyDictionary<string, string?>? environment = null)
{
    private readonly Lock _versionLock = new();
    private Task? _versionCheck;

    public string Executable { get; } = executable;

    // Terraform's documented switches for CI: shorter output without "run terraform apply" hints, never prompt.
    public IReadOnlyDictionary<string, string?> Environment { get; } = new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>())
    {
        ["TF_IN_AUTOMATION"] = "1",
        ["TF_INPUT"] = "0",
    };

    public TerraformCli(TerraformToolchain toolchain, IReadOnlyDictionary<string, string?> awsVariables)
        : this(toolchain.Executable, toolchain.Environment.Concat(awsVariables).ToDictionary(p => p.Key, p => p.Value))
    {
    }

    /// <summary>
    /// Where terraform logs every AWS request it sends (TF_LOG=DEBUG: the backend's and the provider's, with service
    /// and operation), one file per stack folder; none by default. Terraform's calls cannot be recorded any other way.
    /// </summary>
    public string? RequestLogDirectory { get; init; }

    /// <param name="echoPrefix">Streams terraform's output with each line behind this prefix (a stack's name), when several run side by side.</param>
    public async Task<string> RunAsync(string workingDirectory, IReadOnlyList<string> arguments, bool echoOutput = true, CancellationToken cancellationToken = default,
        string? echoPrefix = null)
    {
        lock (_versionLock) _versionCheck ??= CheckVersionAsync(workingDirectory, cancellationToken);
        await _versionCheck;
        return await InvokeAsync(workingDirectory, arguments, echoOutput, cancellationToken, echoPrefix);
    }

    private async Task CheckVersionAsync(string workingDirectory, CancellationToken cancellationToken)
    {
        var json = await InvokeAsync(workingDirectory, TerraformArguments.Version(), echoOutput: false, cancellationToken);
        string? text = null;
        try
        {
            using var document = JsonDocument.Parse(json);
            text = document.RootElement.GetProperty("terraform_version").GetString();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
        }
        if (text is null || !System.Version.TryParse(text.Split('-')[0], out var version) || version < TerraformExecutable.MinimumVersion)
            throw new TerraformException($"{Executable} is terraform {text ?? "of unknown version"}; {TerraformExecutable.NotFoundMessage}");
    }

    private IReadOnlyDictionary<string, string?> EnvironmentFor(string workingDirectory)
    {
        if (RequestLogDirectory is null) return Environment;
        Directory.CreateDirectory(RequestLogDirectory);
        var stack = Path.GetFullPath(workingDirectory).TrimEnd(Path.DirectorySeparatorChar).Split(Path.DirectorySeparatorChar)[^2..];
        return new Dictionary<string, string?>(Environment)
        {
            ["TF_LOG"] = "DEBUG",
            ["TF_LOG_PATH"] = Path.Combine(RequestLogDirectory, string.Join('-', stack) + ".log"),
        };
    }

    private async Task<string> InvokeAsync(string workingDirectory, IReadOnlyList<string> arguments, bool echoOutput, CancellationToken cancellationToken,
        string? echoPrefix = null)
    {
        try
        {
            var result = await Tool.RunAsync(Executable, arguments, workingDirectory, EnvironmentFor(workingDirectory), echoOutput, cancellationToken: cancellationToken,
                echoPrefix: echoPrefix);
            return result.StandardOutput;
        }
        catch (ToolException e) when (e.Result.ExitCode == -1)
        {
            throw new TerraformException(TerraformExecutable.NotFoundMessage, 1, e);
        }
        catch (ToolException e)
        {
            throw new TerraformException(e.Message, e.Result.ExitCode, e);
        }
    }
}
