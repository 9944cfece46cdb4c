using System.Text.Json;
using System.Text.RegularExpressions;
using Depoxy.Testing;

namespace Depoxy.Api.Tests.Support;

public sealed record SentMail(string Source, IReadOnlyList<string> To, string Subject, string Body);

/// <summary>The mail moto's SES kept, read from /moto-api/data.json (ses → Message).</summary>
public static partial class MotoMailbox
{
    public static async Task<IReadOnlyList<SentMail>> SentToAsync(MotoServer moto, string address)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var data = JsonDocument.Parse(await http.GetStringAsync(new Uri(moto.Endpoint, "moto-api/data.json")));
        if (!data.RootElement.TryGetProperty("ses", out var ses) || !ses.TryGetProperty("Message", out var messages)) return [];
        return messages.EnumerateArray()
            .Select(m => new SentMail(
                m.GetProperty("source").GetString()!,
                m.GetProperty("destinations").GetProperty("ToAddresses").EnumerateArray().Select(a => a.GetString()!).ToList(),
                m.GetProperty("subject").GetString()!,
                m.GetProperty("body").GetString()!))
            .Where(m => m.To.Contains(address))
            .ToList();
    }

    /// <summary>The hash of the sign-in link in the latest mail to the address.</summary>
    public static async Task<string> LatestLinkHashAsync(MotoServer moto, string address)
    {
        var mail = (await SentToAsync(moto, address)).LastOrDefault()
            ?? throw new Xunit.Sdk.XunitException($"no mail was sent to {address}");
        var match = LinkPattern().Match(mail.Body);
        Assert.True(match.Success, $"no sign-in link in the mail to {address}: {mail.Body}");
        return match.Groups[1].Value;
    }

    [GeneratedRegex("/login-hash/([0-9a-f]{64})\"")]
    private static partial Regex LinkPattern();
}
