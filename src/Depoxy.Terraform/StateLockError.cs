using System.Text.RegularExpressions;

namespace Depoxy.Terraform;

/// <summary>Terraform's "Error acquiring the state lock", many lines long, as one line naming the lock, its holder and BreakLock.</summary>
public static partial class StateLockError
{
    /// <summary>The one-line error for <paramref name="failure"/> when terraform could not take the state lock; else the failure itself.</summary>
    public static TerraformException Describe(TerraformStack stack, string stateBucket, TerraformException failure)
    {
        if (!failure.Message.Contains("Error acquiring the state lock", StringComparison.Ordinal)) return failure;
        string Field(string name) => LockInfo().Matches(failure.Message).FirstOrDefault(m => m.Groups["name"].Value == name)?.Groups["value"].Value.Trim() is { Length: > 0 } value
            ? value
            : "unknown";
        return new TerraformException(
            $"terraform's state lock s3://{stateBucket}/{stack.StateKey}.tflock is held by {Field("Who")} ({Field("Operation")} since {Field("Created")}): " +
            $"let that run finish, or if it is dead, run ./build.sh BreakLock --stage {stack.Stage} and try again.", failure.ExitCode, failure);
    }

    [GeneratedRegex(@"^\s*(?<name>ID|Path|Operation|Who|Version|Created|Info):\s*(?<value>.*)$", RegexOptions.Multiline)]
    private static partial Regex LockInfo();
}
