using System.Security.Cryptography;
using Depoxy.Api.Storage;

namespace Depoxy.Api.Auth;

/// <summary>A pending sign-in, stored under sha256 of its link's token until the link is used or expires.</summary>
public sealed record LoginRecord(
    string Email, string FirstName, DateTimeOffset RequestedAt, DateTimeOffset ExpiresAt,
    bool AcceptedTermsAndConditions, bool AcceptedGdprTerms, bool AcceptedCookiePolicy);

/// <summary>What asking for a sign-in link came to: a token to mail (null when the address may not sign in), or a wait.</summary>
public sealed record LinkRequestOutcome(string? Token, TimeSpan? RetryAfter, string? LimitedBy)
{
    public bool Allowed => RetryAfter is null;
}

/// <summary>
/// Sign-in links and their abuse limits, all under &lt;prefix&gt;/expiring/ (the bucket's lifecycle rule forgets them
/// after a day): login/&lt;sha256(token)&gt;.json holds a pending sign-in, address/&lt;sha256(email)&gt;.json the
/// address's recent requests and its one live link, source/&lt;sha256(ip)&gt;.json a source address's recent requests.
/// The token itself is never stored: whoever reads the bucket cannot sign in.
/// </summary>
public sealed class MagicLinkStore(S3Documents documents, TimeProvider time)
{
    /// <summary>How long a link works; the mail says the same.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    public const int MailsPerAddressPerHour = 3;
    public const int RequestsPerSourcePerHour = 20;

    public static bool IsWellFormedToken(string? token) =>
        token is { Length: 64 } && token.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    public string LoginKey(string token) => documents.Expiring($"login/{S3Documents.Sha256(token)}.json");

    public string AddressKey(string email) => documents.Expiring($"address/{S3Documents.Sha256(email)}.json");

    public string SourceKey(string source) => documents.Expiring($"source/{S3Documents.Sha256(source)}.json");

    /// <summary>
    /// Counts the request against the source's and the address's limits (for every address, so a refusal does not
    /// tell which ones may sign in) and, when <paramref name="mayReceive"/>, stores a fresh link that replaces the
    /// address's previous one.
    /// </summary>
    public async Task<LinkRequestOutcome> RequestAsync(string email, string firstName, string source, bool mayReceive, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var sourceWait = await CountAsync(SourceKey(source), RequestsPerSourcePerHour, now, cancellationToken);
        if (sourceWait is { } waitForSource) return new LinkRequestOutcome(null, waitForSource, "source");

        string? token = null;
        if (mayReceive)
        {
            token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            // The endpoint refuses requests without the three consents, so a stored request has given them.
            var record = new LoginRecord(email, firstName, now, now + Lifetime, true, true, true);
            if (!await documents.PutAsync(LoginKey(token), record, ApiJson.Default.LoginRecord, ifMatch: null, cancellationToken))
                throw new InvalidOperationException("a fresh 256-bit sign-in token collided with a stored one");
        }
        string? replaced = null;
        var addressWait = await documents.UpdateAsync(AddressKey(email), ApiJson.Default.SendWindow, window =>
        {
            window ??= new SendWindow([]);
            replaced = window.LiveLink;
            return window.WaitBefore(MailsPerAddressPerHour, now) is { } wait
                ? new Change<SendWindow, TimeSpan?>(null, wait)
                : new Change<SendWindow, TimeSpan?>(new SendWindow([.. window.Recent(now), now], token is null ? null : S3Documents.Sha256(token)), null);
        }, cancellationToken);

        if (addressWait is { } waitForAddress)
        {
            if (token is not null) await ForgetAsync(S3Documents.Sha256(token), cancellationToken);
            return new LinkRequestOutcome(null, waitForAddress, "address");
        }
        // The address document already names the new link, so the old one is dead either way; this just tidies up.
        if (replaced is not null) await ForgetAsync(replaced, cancellationToken);
        return new LinkRequestOutcome(token, null, null);
    }

    /// <summary>The pending sign-in for the token if its link is the address's live one and unexpired; it is used up.</summary>
    public async Task<LoginRecord?> RedeemAsync(string token, CancellationToken cancellationToken)
    {
        var key = LoginKey(token);
        var found = await documents.GetAsync(key, ApiJson.Default.LoginRecord, cancellationToken);
        if (found is null) return null;
        var record = found.Value;
        var hash = S3Documents.Sha256(token);
        if (time.GetUtcNow() >= record.ExpiresAt)
        {
            await documents.DeleteAsync(key, found.ETag, cancellationToken);
            return null;
        }
        var address = await documents.GetAsync(AddressKey(record.Email), ApiJson.Default.SendWindow, cancellationToken);
        if (address?.Value.LiveLink != hash) return null;
        // Conditional on the ETag just read: of two concurrent logins with one link, only one delete succeeds.
        if (!await documents.DeleteAsync(key, found.ETag, cancellationToken)) return null;
        await documents.UpdateAsync(AddressKey(record.Email), ApiJson.Default.SendWindow, window =>
            new Change<SendWindow, bool>(window?.LiveLink == hash ? window with { LiveLink = null } : null, true), cancellationToken);
        return record;
    }

    private async Task<TimeSpan?> CountAsync(string key, int limit, DateTimeOffset now, CancellationToken cancellationToken) =>
        await documents.UpdateAsync(key, ApiJson.Default.SendWindow, window =>
        {
            window ??= new SendWindow([]);
            return window.WaitBefore(limit, now) is { } wait
                ? new Change<SendWindow, TimeSpan?>(null, wait)
                : new Change<SendWindow, TimeSpan?>(new SendWindow([.. window.Recent(now), now]), null);
        }, cancellationToken);

    private async Task ForgetAsync(string tokenHash, CancellationToken cancellationToken)
    {
        var key = documents.Expiring($"login/{tokenHash}.json");
        if (await documents.GetAsync(key, ApiJson.Default.LoginRecord, cancellationToken) is { } stale)
            await documents.DeleteAsync(key, stale.ETag, cancellationToken);
    }
}
