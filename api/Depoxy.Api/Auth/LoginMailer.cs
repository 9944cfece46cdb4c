using System.Text.Encodings.Web;
using Depoxy.Api.Configuration;
using Depoxy.Aws.SesV2;

namespace Depoxy.Api.Auth;

/// <summary>Sends the sign-in link through SES v2 from the configured sender.</summary>
public sealed class LoginMailer(SesV2Client ses, ApiSettings settings)
{
    public const string Subject = "Your Depoxy sign-in link";

    public string LinkFor(string hash) => $"{settings.CorsAllowOrigin}/login-hash/{hash}";

    public Task SendAsync(string email, string firstName, string hash, CancellationToken cancellationToken)
    {
        var link = LinkFor(hash);
        // The name is user input landing in HTML: encoded, so a sign-up form cannot inject markup into our mail.
        var name = HtmlEncoder.Default.Encode(firstName);
        var html = $"""
            <!doctype html>
            <html lang="en"><body style="font-family: sans-serif">
            <p>Hi {name},</p>
            <p><a href="{HtmlEncoder.Default.Encode(link)}">Sign in to Depoxy</a></p>
            <p>The link works once, within the next hour. If you did not ask for it, ignore this mail.</p>
            </body></html>
            """;
        var text = $"Hi {firstName},\n\nSign in to Depoxy: {link}\n\nThe link works once, within the next hour. If you did not ask for it, ignore this mail.\n";
        return ses.SendEmailAsync(new SimpleEmail(settings.SesSenderAddress, [email], Subject, html, text), cancellationToken);
    }
}
