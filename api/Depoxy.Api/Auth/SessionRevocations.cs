using Depoxy.Api.Storage;

namespace Depoxy.Api.Auth;

/// <summary>A signed-out session: sha256 of its jti, kept until the token would have expired anyway.</summary>
public sealed record RevokedSession(string IdHash, DateTimeOffset Expires);

/// <summary>
/// A user's revocations: sessions issued before <see cref="ValidFrom"/> (unix seconds) are all refused ("sign out
/// everywhere"), and each listed session individually ("sign out").
/// </summary>
public sealed record SessionState(long ValidFrom, IReadOnlyList<RevokedSession> Revoked);

/// <summary>
/// Server-side session revocation in the user's folder, users/&lt;sha256(email)&gt;/sessions.json: one small document
/// read on every authenticated request, so a sign-out holds on every Lambda instance at once. Entries are dropped
/// once their token has expired; the document never holds a token or a jti, only its sha256.
/// </summary>
public sealed class SessionRevocations(S3Documents documents, TimeProvider time)
{
    public string KeyFor(string email) => documents.User(email, "sessions.json");

    public async Task<bool> IsRevokedAsync(Session session, CancellationToken cancellationToken)
    {
        var state = await documents.GetAsync(KeyFor(session.User.Email), ApiJson.Default.SessionState, cancellationToken);
        if (state is null) return false;
        var idHash = S3Documents.Sha256(session.Id);
        return session.IssuedAt.ToUnixTimeSeconds() < state.Value.ValidFrom || state.Value.Revoked.Any(r => r.IdHash == idHash);
    }

    /// <summary>When a session issued now would be valid: now, or the second after a sign-out-everywhere of this second.</summary>
    public async Task<DateTimeOffset> IssueTimeAsync(string email, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var state = await documents.GetAsync(KeyFor(email), ApiJson.Default.SessionState, cancellationToken);
        var validFrom = DateTimeOffset.FromUnixTimeSeconds(state?.Value.ValidFrom ?? 0);
        return validFrom > now ? validFrom : now;
    }

    public Task RevokeAsync(Session session, CancellationToken cancellationToken) =>
        documents.UpdateAsync(KeyFor(session.User.Email), ApiJson.Default.SessionState, state =>
        {
            var now = time.GetUtcNow();
            var kept = (state?.Revoked ?? []).Where(r => r.Expires > now).ToList();
            kept.Add(new RevokedSession(S3Documents.Sha256(session.Id), session.Expires));
            return new Change<SessionState, bool>(new SessionState(state?.ValidFrom ?? 0, kept), true);
        }, cancellationToken);

    /// <summary>
    /// Refuses every session of the user issued up to now. Token times are whole seconds, so the cut is the next
    /// second: a session issued in this very second is refused too, and the next sign-in is stamped at that second.
    /// </summary>
    public Task RevokeAllAsync(string email, CancellationToken cancellationToken) =>
        documents.UpdateAsync(KeyFor(email), ApiJson.Default.SessionState, state =>
        {
            var validFrom = time.GetUtcNow().ToUnixTimeSeconds() + 1;
            return new Change<SessionState, bool>(new SessionState(Math.Max(validFrom, state?.ValidFrom ?? 0), []), true);
        }, cancellationToken);
}
