using System.Security.Cryptography;
using Depoxy.Api.Auth;
using Depoxy.Api.Tests.Support;
using Depoxy.Aws;
using Depoxy.Aws.SecretsManager;
using Depoxy.Aws.SesV2;

namespace Depoxy.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class AwsClientTests(ApiFixture fixture)
{
    [Fact]
    public async Task Secret_value_is_read_over_json_1_1()
    {
        using var secrets = SecretsManagerClient.Create(fixture.Moto.Aws);
        var secret = await secrets.GetSecretValueAsync(ApiFixture.SecretId);
        Assert.Equal(ApiFixture.SecretId, secret.Name);
        Assert.Equal(fixture.SigningKey.ExportPkcs8PrivateKey(), Convert.FromBase64String(secret.Text));
    }

    [Fact]
    public async Task Missing_secret_is_an_aws_error_naming_the_code()
    {
        using var secrets = SecretsManagerClient.Create(fixture.Moto.Aws);
        var error = await Assert.ThrowsAsync<AwsServiceException>(() => secrets.GetSecretValueAsync("no/such/secret"));
        Assert.Equal("ResourceNotFoundException", error.ErrorCode);
    }

    [Fact]
    public async Task Mail_from_an_unverified_sender_is_rejected_by_ses()
    {
        using var ses = SesV2Client.Create(fixture.Moto.Aws);
        var error = await Assert.ThrowsAsync<AwsServiceException>(() =>
            ses.SendEmailAsync(new SimpleEmail("nobody@unverified.test", ["ada@example.com"], "s", "<p>h</p>", "t")));
        Assert.Equal("SES", error.Service);
    }

    [Fact]
    public async Task Mail_from_the_verified_sender_is_kept_by_moto()
    {
        using var ses = SesV2Client.Create(fixture.Moto.Aws);
        var to = ApiFixture.NewEmail();
        var id = await ses.SendEmailAsync(new SimpleEmail(ApiFixture.Sender, [to], "Subject ü", "<p>Hi ü</p>", "Hi ü"));
        Assert.False(string.IsNullOrEmpty(id));
        var mail = Assert.Single(await MotoMailbox.SentToAsync(fixture.Moto, to));
        Assert.Equal("Subject ü", mail.Subject);
        Assert.Equal("<p>Hi ü</p>", mail.Body);
    }

    [Fact]
    public void Clients_use_their_own_endpoint_variable_first()
    {
        var aws = fixture.Moto.Aws with
        {
            Variables = new Dictionary<string, string>
            {
                ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1",
                ["AWS_ENDPOINT_URL_SESV2"] = "http://127.0.0.1:2",
                ["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = "http://127.0.0.1:3",
            },
        };
        Assert.Equal(new Uri("http://127.0.0.1:2"), aws.EndpointFor(SesV2Client.ServiceId, "unused"));
        Assert.Equal(new Uri("http://127.0.0.1:3"), aws.EndpointFor(SecretsManagerClient.ServiceId, "unused"));
    }

    [Fact]
    public void Signing_key_accepts_pkcs8_and_sec1_p256()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pkcs8 = SigningKeyProvider.Parse(Convert.ToBase64String(key.ExportPkcs8PrivateKey()), "s");
        var sec1 = SigningKeyProvider.Parse(Convert.ToBase64String(key.ExportECPrivateKey()) + "\n", "s");
        Assert.Equal(pkcs8.KeyId, sec1.KeyId);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("")]
    [InlineData("AAAA")]
    public void Signing_key_that_is_not_a_key_names_the_secret(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => SigningKeyProvider.Parse(value, "dev/depoxy/api"));
        Assert.Contains("dev/depoxy/api", error.Message);
    }

    [Fact]
    public void Signing_key_on_another_curve_or_rsa_is_refused()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var rsa = RSA.Create(2048);
        Assert.Throws<InvalidOperationException>(() => SigningKeyProvider.Parse(Convert.ToBase64String(p384.ExportPkcs8PrivateKey()), "s"));
        Assert.Throws<InvalidOperationException>(() => SigningKeyProvider.Parse(Convert.ToBase64String(rsa.ExportPkcs8PrivateKey()), "s"));
    }
}
