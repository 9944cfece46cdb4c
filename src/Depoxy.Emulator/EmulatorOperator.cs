using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Depoxy.Aws;

namespace Depoxy.Emulator;

/// <summary>
/// Stand-in for the operator's one-time steps that no Terraform takes (tf/README, "Before the first deploy"): the
/// API's ES256 signing key is a secret value kept out of Terraform state, and SES sender identities are verified by
/// hand. In the emulator, the key is generated and both are created the first time a stage's API is smoke-tested.
/// </summary>
public sealed class EmulatorOperator(AwsEnvironment aws)
{
    public const string SigningKeySecretVariable = "DEPOXY_API_JWT_SECRET_ID";
    public const string SenderVariable = "DEPOXY_API_SES_SENDER_ADDRESS";

    public async Task EnsureStageSecretsAsync(IReadOnlyDictionary<string, string> functionEnvironment, CancellationToken cancellationToken = default)
    {
        if (functionEnvironment.TryGetValue(SigningKeySecretVariable, out var secretId)) await EnsureSigningKeyAsync(secretId, cancellationToken);
        if (functionEnvironment.TryGetValue(SenderVariable, out var sender)) await EnsureSenderIdentityAsync(sender, cancellationToken);
    }

    private async Task EnsureSigningKeyAsync(string secretId, CancellationToken cancellationToken)
    {
        using var secrets = SignedHttpClient.Create(aws, "secretsmanager", aws.EndpointFor("SECRETS_MANAGER", "secretsmanager.amazonaws.com"));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var body = JsonSerializer.Serialize(new { Name = secretId, SecretString = Convert.ToBase64String(key.ExportPkcs8PrivateKey()) });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new("application/x-amz-json-1.1");
        request.Headers.Add("X-Amz-Target", "secretsmanager.CreateSecret");
        using var response = await secrets.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode && !(await response.Content.ReadAsStringAsync(cancellationToken)).Contains("ResourceExistsException"))
            await AwsResponse.EnsureSuccessAsync(response, "SecretsManager", cancellationToken);
    }

    private async Task EnsureSenderIdentityAsync(string sender, CancellationToken cancellationToken)
    {
        using var ses = SignedHttpClient.Create(aws, "ses", aws.EndpointFor("SESV2", "email.amazonaws.com"));
        using var response = await ses.PostAsJsonAsync("/v2/email/identities", new JsonObject { ["EmailIdentity"] = sender }, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Conflict && !(await response.Content.ReadAsStringAsync(cancellationToken)).Contains("AlreadyExists"))
            await AwsResponse.EnsureSuccessAsync(response, "SESv2", cancellationToken);
    }
}
