using System.Text.Encodings.Web;
using Depoxy.Api.Configuration;
using Depoxy.Aws.SesV2;

namespace Depoxy.Api.Auth;

/// <summary>Sends the sign-in link through SES v2 from the configured sender.</summary>
public sealed class LoginMailer(SesV2Client ses, ApiSettings settings)
{
    public const string Subject = "Your Depoxy sign-in link";

    /// <summary>What the mail promises, derived from the link's real lifetime so the two cannot drift apart.</summary>
    public static string Validity => $"The link works once, within the next {MagicLinkStore.Lifetime.TotalMinutes:0} minutes.";

    public string LinkFor(string token) => $"{settings.CorsAllowOrigin}/login-hash/{token}";

    public Task SendAsync(string email, string firstName, string token, CancellationToken cancellationToken)
    {
        var link = LinkFor(token);
        // The name is validated to letters, spaces, '-' and apostrophes; encoded all the same, as any user input in HTML.
        var name = HtmlEncoder.Default.Encode(firstName);
        var html = $"""
            <!doctype html>
            <html lang="en"><body style="font-family: sans-serif">
            <p>Hi {name},</p>
            <p><a href="{HtmlEncoder.Default.Encode(link)}">Sign in to Depoxy</a></p>
            <p>{Validity} If you did not ask for it, ignore this mail.</p>
            </body></html>
            """;
        var text = $"Hi {firstName},\n\nSign in to Depoxy: {link}\n\n{Validity} If you did not ask for it, ignore this mail.\n";
        return ses.SendEmailAsync(new SimpleEmail(settings.SesSenderAddress, [email], Subject, html, text), cancellationToken);
    }
}
