using System.Text.RegularExpressions;
using Depoxy.Aws.Sts;

namespace Depoxy.Deploy;

public sealed class AccountMismatchException(string message) : Exception(message);

/// <summary>Refuses to touch a stage with credentials for another account (dev keys pointed at prod, or the reverse).</summary>
public sealed partial class AccountGuard(ICallerIdentityProvider identity)
{
    public async Task<CallerIdentity> EnsureAsync(string stage, string expectedAccountId, CancellationToken cancellationToken = default)
    {
        if (!AccountId().IsMatch(expectedAccountId ?? ""))
            throw new AccountMismatchException(
                $"refusing to deploy {stage}: its account id '{expectedAccountId}' is not 12 digits; set AccountId in .nuke/parameters.{stage}.json");
        var caller = await identity.GetCallerIdentityAsync(cancellationToken);
        if (caller.Account != expectedAccountId)
            throw new AccountMismatchException(
                $"refusing to deploy {stage}: credentials are for account {caller.Account}, {stage} is account {expectedAccountId}");
        return caller;
    }

    [GeneratedRegex(@"^\d{12}$")]
    private static partial Regex AccountId();
}
