using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Depoxy.Aws.SecretsManager;

/// <summary>The Secrets Manager calls Depoxy needs, over its JSON 1.1 protocol (AWSSDK.SecretsManager is not available).</summary>
public sealed class SecretsManagerClient(HttpClient http) : IDisposable
{
    public const string ServiceId = "SECRETS_MANAGER";
    public const string SigningName = "secretsmanager";

    private static readonly MediaTypeHeaderValue AmzJson = new("application/x-amz-json-1.1");

    public static SecretsManagerClient Create(AwsEnvironment aws, HttpMessageHandler? transport = null) =>
        new(SignedHttpClient.Create(aws, SigningName,
            aws.EndpointFor(ServiceId, $"secretsmanager.{aws.Region.SystemName}.amazonaws.com"), transport: transport));

    /// <summary>The current value of a secret; throws <see cref="AwsServiceException"/> (e.g. ResourceNotFoundException).</summary>
    public async Task<SecretValue> GetSecretValueAsync(string secretId, CancellationToken cancellationToken = default)
    {
        var payload = JsonSerializer.Serialize(new GetSecretValueRequest(secretId), SecretsManagerJson.Default.GetSecretValueRequest);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new StringContent(payload, Encoding.UTF8) { Headers = { ContentType = AmzJson } },
        };
        request.Headers.Add("X-Amz-Target", "secretsmanager.GetSecretValue");
        using var response = await http.SendAsync(request, cancellationToken);
        await AwsResponse.EnsureSuccessAsync(response, "Secrets Manager", cancellationToken);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await JsonSerializer.DeserializeAsync(body, SecretsManagerJson.Default.SecretValue, cancellationToken)
               ?? throw new InvalidOperationException($"Secrets Manager answered an empty body for {secretId}");
    }

    public void Dispose() => http.Dispose();
}

public sealed record GetSecretValueRequest(string SecretId);

/// <summary>A secret's value: <see cref="SecretString"/> for text secrets, <see cref="SecretBinary"/> for binary ones.</summary>
public sealed record SecretValue(string Name, string? VersionId, string? SecretString, byte[]? SecretBinary)
{
    /// <summary>The secret as text whichever way it was stored.</summary>
    public string Text => SecretString ?? (SecretBinary is { } bytes ? Encoding.UTF8.GetString(bytes) : "");
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.Unspecified)]
[JsonSerializable(typeof(GetSecretValueRequest))]
[JsonSerializable(typeof(SecretValue))]
internal sealed partial class SecretsManagerJson : JsonSerializerContext;
