using System.Text.RegularExpressions;

namespace Depoxy.Api.Auth;

public static partial class EmailAddress
{
    /// <summary>
    /// The WHATWG "valid e-mail address" grammar plus a dotted domain: stricter than MailAddress, which accepts
    /// display names, quoted local parts and single-label hosts that SES and users never need.
    /// </summary>
    public static bool IsValid(string? value) => value is { Length: > 0 and <= 254 } && Pattern().IsMatch(value);

    public static string Normalize(string value) => value.Trim().ToLowerInvariant();

    [GeneratedRegex(@"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\z")]
    private static partial Regex Pattern();
}
