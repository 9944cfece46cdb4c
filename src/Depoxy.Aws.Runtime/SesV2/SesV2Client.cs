using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace Depoxy.Aws.SesV2;

/// <summary>SES v2 SendEmail over its REST protocol (AWSSDK.SimpleEmailV2 is not available).</summary>
public sealed class SesV2Client(HttpClient http) : IDisposable
{
    public const string ServiceId = "SESV2";
    public const string SigningName = "ses";

    public static SesV2Client Create(AwsEnvironment aws, HttpMessageHandler? transport = null) =>
        new(SignedHttpClient.Create(aws, SigningName,
            aws.EndpointFor(ServiceId, $"email.{aws.Region.SystemName}.amazonaws.com"), transport: transport));

    /// <summary>Sends a simple (subject + HTML + text) mail and returns SES's message id.</summary>
    public async Task<string> SendEmailAsync(SimpleEmail email, CancellationToken cancellationToken = default)
    {
        var request = new SendEmailRequest(
            email.From,
            new Destination([.. email.To]),
            new EmailContent(new Message(
                new Content(email.Subject),
                new Body(new Content(email.Text), new Content(email.Html)))));
        using var response = await http.PostAsJsonAsync("/v2/email/outbound-emails", request, SesV2Json.Default.SendEmailRequest, cancellationToken);
        await AwsResponse.EnsureSuccessAsync(response, "SES", cancellationToken);
        var result = await response.Content.ReadFromJsonAsync(SesV2Json.Default.SendEmailResponse, cancellationToken);
        return result?.MessageId ?? throw new InvalidOperationException("SES answered without a MessageId");
    }

    public void Dispose() => http.Dispose();
}

public sealed record SimpleEmail(string From, IReadOnlyList<string> To, string Subject, string Html, string Text);

internal sealed record SendEmailRequest(string FromEmailAddress, Destination Destination, EmailContent Content);

internal sealed record Destination(IReadOnlyList<string> ToAddresses);

internal sealed record EmailContent(Message Simple);

internal sealed record Message(Content Subject, Body Body);

internal sealed record Body(Content Text, Content Html);

internal sealed record Content(string Data)
{
    public string Charset => "UTF-8";
}

internal sealed record SendEmailResponse(string? MessageId);

[JsonSerializable(typeof(SendEmailRequest))]
[JsonSerializable(typeof(SendEmailResponse))]
internal sealed partial class SesV2Json : JsonSerializerContext;
