namespace Depoxy.Terraform;

/// <summary>A user-facing failure of the Terraform runner: the message is one line naming the fix.</summary>
public sealed class TerraformException(string message, int exitCode = 1, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Terraform's own exit code when it failed, else 1.</summary>
    public int ExitCode { get; } = exitCode;
}
