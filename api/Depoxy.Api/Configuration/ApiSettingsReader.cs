using System.Text.RegularExpressions;
using Depoxy.Api.Auth;

namespace Depoxy.Api.Configuration;

/// <summary>Reads and validates the DEPOXY_API_* variables, collecting one line per bad variable.</summary>
public static partial class ApiSettingsReader
{
    public const string Stage = "DEPOXY_API_STAGE";
    public const string CookieMaxAgeDays = "DEPOXY_API_COOKIE_MAX_AGE_DAYS";
    public const string CookieSecurity = "DEPOXY_API_COOKIE_SECURITY";
    public const string CorsAllowOrigin = "DEPOXY_API_CORS_ALLOW_ORIGIN";
    public const string JwtAlgorithm = "DEPOXY_API_JWT_ALGORITHM";
    public const string JwtAudience = "DEPOXY_API_JWT_AUDIENCE";
    public const string JwtSecretId = "DEPOXY_API_JWT_SECRET_ID";
    public const string S3Bucket = "DEPOXY_API_S3_BUCKET";
    public const string S3Prefix = "DEPOXY_API_S3_PREFIX";
    public const string SesSenderAddress = "DEPOXY_API_SES_SENDER_ADDRESS";
    public const string HoneycombSecretId = "DEPOXY_API_HONEYCOMB_SECRET_ID";
    public const string AllowedEmailDomains = "DEPOXY_API_ALLOWED_EMAIL_DOMAINS";
    public const string Version = "DEPOXY_API_VERSION";

    public static IReadOnlyList<string> Required { get; } =
    [
        Stage, CookieMaxAgeDays, CookieSecurity, CorsAllowOrigin, JwtAlgorithm, JwtAudience, JwtSecretId,
        S3Bucket, S3Prefix, SesSenderAddress,
    ];

    public static IReadOnlyList<string> Optional { get; } = [HoneycombSecretId, AllowedEmailDomains, Version];

    /// <summary>
    /// The cap on a session's age: a stolen cookie is worth a week at most, and a signed-out device's token expires
    /// on its own within that time even if its revocation marker were lost.
    /// </summary>
    public const int MaxCookieDays = 7;

    /// <summary>Validated settings, or <see cref="ApiConfigurationException"/> listing every problem.</summary>
    public static ApiSettings Read(Func<string, string?> lookup)
    {
        var problems = new List<string>();

        string Text(string name, Regex pattern, string expected)
        {
            var value = lookup(name)?.Trim();
            if (string.IsNullOrEmpty(value)) problems.Add($"{name} is not set: {expected}");
            else if (!pattern.IsMatch(value)) problems.Add($"{name}='{value}' is malformed: {expected}");
            return value ?? "";
        }

        string? OptionalText(string name, Regex pattern, string expected)
        {
            var value = lookup(name)?.Trim();
            if (string.IsNullOrEmpty(value)) return null;
            if (!pattern.IsMatch(value)) problems.Add($"{name}='{value}' is malformed: {expected}");
            return value;
        }

        var stage = Text(Stage, StagePattern(), "a stage name such as dev or prod (lower-case letters, digits, '-')");
        var maxAge = ParseDays(lookup(CookieMaxAgeDays)?.Trim(), problems);
        var secure = ParseBoolean(lookup(CookieSecurity)?.Trim(), problems);
        var origin = ParseOrigin(lookup(CorsAllowOrigin)?.Trim(), problems);
        var algorithm = lookup(JwtAlgorithm)?.Trim() ?? "";
        if (algorithm != SessionTokens.Algorithm)
            problems.Add(algorithm == ""
                ? $"{JwtAlgorithm} is not set: set it to ES256"
                : $"{JwtAlgorithm}='{algorithm}' is not supported: set it to ES256 (the signing key is an EC P-256 key)");
        var audience = Text(JwtAudience, AudiencePattern(), "the JWT audience and issuer, e.g. DepoxyDev (letters, digits, '.', '-', '_', ':', '/')");
        var secretId = Text(JwtSecretId, SecretIdPattern(), "the Secrets Manager id or ARN of the signing key secret, e.g. dev/depoxy/api");
        var bucket = Text(S3Bucket, BucketPattern(), "an S3 bucket name (3-63 lower-case letters, digits, '.', '-')");
        var prefix = Text(S3Prefix, PrefixPattern(), "a key prefix without leading or trailing '/', e.g. api");
        var sender = lookup(SesSenderAddress)?.Trim() ?? "";
        if (sender == "") problems.Add($"{SesSenderAddress} is not set: the verified SES sender, e.g. login@send.depoxy.dev");
        else if (!EmailAddress.IsValid(sender)) problems.Add($"{SesSenderAddress}='{sender}' is not an e-mail address: the verified SES sender, e.g. login@send.depoxy.dev");
        var honeycomb = OptionalText(HoneycombSecretId, SecretIdPattern(), "the Secrets Manager id of the Honeycomb API key, or unset to turn tracing off");
        var domains = ParseDomains(lookup(AllowedEmailDomains), problems);
        var version = OptionalText(Version, VersionPattern(), "a release version such as 20261126.163916-g1a2b3c4 or 1.4.0") ?? "local";
        var port = ParsePort(lookup, problems);

        if (problems.Count > 0) throw new ApiConfigurationException(problems);
        return new ApiSettings
        {
            Stage = stage, CookieMaxAgeDays = maxAge, CookieSecure = secure, CorsAllowOrigin = origin,
            JwtAlgorithm = algorithm, JwtAudience = audience, JwtSecretId = secretId, S3Bucket = bucket, S3Prefix = prefix,
            SesSenderAddress = sender.ToLowerInvariant(), HoneycombSecretId = honeycomb, AllowedEmailDomains = domains,
            Version = version, ListenPort = port,
        };
    }

    private static int ParseDays(string? value, List<string> problems)
    {
        if (string.IsNullOrEmpty(value)) problems.Add($"{CookieMaxAgeDays} is not set: the session length in whole days (1-{MaxCookieDays})");
        else if (!int.TryParse(value, System.Globalization.NumberStyles.None, null, out var days) || days is < 1 or > MaxCookieDays)
            problems.Add($"{CookieMaxAgeDays}='{value}' is malformed: the session length in whole days (1-{MaxCookieDays})");
        else return days;
        return 0;
    }

    private static bool ParseBoolean(string? value, List<string> problems)
    {
        switch (value?.ToLowerInvariant())
        {
            case "true": return true;
            case "false": return false;
            case null or "": problems.Add($"{CookieSecurity} is not set: true (HTTPS, any deployed stage) or false (plain-HTTP local runs)"); return false;
            default: problems.Add($"{CookieSecurity}='{value}' is malformed: true or false"); return false;
        }
    }

    private static string ParseOrigin(string? value, List<string> problems)
    {
        const string expected = "the app's origin, scheme and host only, e.g. https://app.dev.depoxy.dev";
        if (string.IsNullOrEmpty(value))
        {
            problems.Add($"{CorsAllowOrigin} is not set: {expected}");
            return "";
        }
        if (value != "*" && Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            && uri.AbsolutePath == "/" && uri.Query == "" && uri.Fragment == "" && uri.UserInfo == "" && !value.EndsWith('/'))
            return uri.GetLeftPart(UriPartial.Authority);
        problems.Add($"{CorsAllowOrigin}='{value}' is malformed: {expected} (no path, no trailing '/', no '*')");
        return "";
    }

    private static IReadOnlyList<string> ParseDomains(string? value, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(value)) return [];
        var domains = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(d => d.ToLowerInvariant()).ToList();
        var bad = domains.Where(d => !DomainPattern().IsMatch(d)).ToList();
        if (bad.Count > 0)
            problems.Add($"{AllowedEmailDomains}='{value}' is malformed ({string.Join(", ", bad)}): a comma-separated list of domains, e.g. depoxy.dev,datadeft.eu");
        return domains;
    }

    /// <summary>The Lambda Web Adapter forwards to AWS_LWA_PORT (else PORT), 8080 being both their defaults.</summary>
    private static int ParsePort(Func<string, string?> lookup, List<string> problems)
    {
        foreach (var name in new[] { "AWS_LWA_PORT", "PORT" })
        {
            var value = lookup(name)?.Trim();
            if (string.IsNullOrEmpty(value)) continue;
            if (int.TryParse(value, System.Globalization.NumberStyles.None, null, out var port) && port is > 0 and < 65536) return port;
            problems.Add($"{name}='{value}' is malformed: a TCP port (1-65535)");
            return 0;
        }
        return 8080;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,31}\\z")]
    private static partial Regex StagePattern();

    [GeneratedRegex(@"^[A-Za-z0-9._:/-]{1,200}\z")]
    private static partial Regex AudiencePattern();

    [GeneratedRegex(@"^[A-Za-z0-9/_+=.@:-]{1,2048}\z")]
    private static partial Regex SecretIdPattern();

    [GeneratedRegex(@"^(?!\d+\.\d+\.\d+\.\d+\z)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\z")]
    private static partial Regex BucketPattern();

    [GeneratedRegex(@"^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*\z")]
    private static partial Regex PrefixPattern();

    [GeneratedRegex(@"^(?=.{1,253}\z)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+\z")]
    private static partial Regex DomainPattern();

    [GeneratedRegex(@"^[0-9A-Za-z.+_-]{1,64}\z")]
    private static partial Regex VersionPattern();
}

public sealed class ApiConfigurationException(IReadOnlyList<string> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
