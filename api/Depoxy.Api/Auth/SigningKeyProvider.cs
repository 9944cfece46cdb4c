using System.Security.Cryptography;
using Depoxy.Api.Configuration;
using Depoxy.Aws;
using Depoxy.Aws.SecretsManager;
using Microsoft.IdentityModel.Tokens;

namespace Depoxy.Api.Auth;

/// <summary>
/// The ES256 signing key from Secrets Manager, fetched once per process (one Lambda instance) and cached. The
/// readiness check loads it, so an instance whose key is missing or malformed never takes traffic.
/// </summary>
public sealed class SigningKeyProvider(ApiSettings settings, SecretsManagerClient secrets, TimeProvider time)
{
    /// <summary>
    /// A failed fetch (throttling, a secret created after start-up) is retried, but not sooner than this: the Web
    /// Adapter polls readiness every few milliseconds and must not turn a broken key into a flood of API calls.
    /// </summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private Task<ECDsaSecurityKey>? _key;
    private DateTimeOffset _started;

    public Task<ECDsaSecurityKey> GetAsync()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_key is null || (_key.IsFaulted || _key.IsCanceled) && (now - _started >= RetryAfterFailure || now < _started))
            {
                _started = now;
                _key = LoadAsync();
            }
            return _key;
        }
    }

    private async Task<ECDsaSecurityKey> LoadAsync()
    {
        SecretValue secret;
        try
        {
            secret = await secrets.GetSecretValueAsync(settings.JwtSecretId);
        }
        catch (Exception e) when (e is AwsServiceException or HttpRequestException or TaskCanceledException or InvalidOperationException or System.Text.Json.JsonException)
        {
            throw new SigningKeyUnavailableException(
                $"signing key secret {settings.JwtSecretId} of stage {settings.Stage} could not be read ({FirstLine(e.Message)}): check that it exists and the function's role may read it");
        }
        try
        {
            return Parse(secret.Text, settings.JwtSecretId);
        }
        catch (InvalidOperationException e)
        {
            throw new SigningKeyUnavailableException($"stage {settings.Stage}: {e.Message}");
        }
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    /// <summary>A base64 DER EC P-256 private key, PKCS#8 or SEC1 (what openssl writes either way).</summary>
    public static ECDsaSecurityKey Parse(string base64Der, string secretId)
    {
        var problem = $"secret {secretId} does not hold a base64 DER EC P-256 private key (create one with: openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -outform DER | base64 -w0)";
        byte[] der;
        try
        {
            der = Convert.FromBase64String(base64Der.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException(problem);
        }
        var ecdsa = ECDsa.Create();
        try
        {
            try
            {
                ecdsa.ImportPkcs8PrivateKey(der, out _);
            }
            catch (CryptographicException)
            {
                ecdsa.ImportECPrivateKey(der, out _);
            }
            if (ecdsa.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
                throw new CryptographicException("not P-256");
        }
        catch (CryptographicException)
        {
            ecdsa.Dispose();
            throw new InvalidOperationException(problem);
        }
        var thumbprint = SHA256.HashData(ecdsa.ExportSubjectPublicKeyInfo());
        return new ECDsaSecurityKey(ecdsa) { KeyId = Base64UrlEncoder.Encode(thumbprint[..12]) };
    }
}

/// <summary>The signing key cannot be loaded: the instance is unhealthy (503), never a 500 or a consumed link.</summary>
public sealed class SigningKeyUnavailableException(string message) : Exception(message);
