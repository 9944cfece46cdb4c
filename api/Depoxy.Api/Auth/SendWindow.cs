namespace Depoxy.Api.Auth;

/// <summary>
/// When sign-in mail was last asked for, by one address or from one source address, within a sliding hour; for an
/// address also the sha256 of its one live sign-in link (asking again replaces it).
/// </summary>
public sealed record SendWindow(IReadOnlyList<DateTimeOffset> Requests, string? LiveLink = null)
{
    public static readonly TimeSpan Length = TimeSpan.FromHours(1);

    /// <summary>The requests still inside the window at <paramref name="now"/>.</summary>
    public IReadOnlyList<DateTimeOffset> Recent(DateTimeOffset now) => Requests.Where(r => r > now - Length && r <= now + Length).ToList();

    /// <summary>How long until one more request fits under <paramref name="limit"/>; null when it fits now.</summary>
    public TimeSpan? WaitBefore(int limit, DateTimeOffset now)
    {
        var recent = Recent(now).Order().ToList();
        if (recent.Count < limit) return null;
        var wait = recent[recent.Count - limit] + Length - now;
        return wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1);
    }
}
