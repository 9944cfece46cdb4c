using System.Text;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using Depoxy.Aws.Tests.Support;

namespace Depoxy.Aws.Tests;

/// <summary>
/// SigV4 as <see cref="SignedHttpClient"/> signs it. Vectors: botocore's aws4_testsuite files get-space and get-utf8
/// (TestData/aws4_testsuite, source in SOURCE.md) and AWS's published 2015 suite (AKIDEXAMPLE, 20150830T123600Z).
/// </summary>
public sealed class SigV4Tests
{
    private const string AccessKey = "AKIDEXAMPLE";
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string EmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static readonly DateTime SignedAt = new(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("get-space", "/%20/foo")]
    [InlineData("get-utf8", "/\u1234")]
    public void Oracle_reproduces_botocores_vectors(string vector, string rawPath)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "TestData", "aws4_testsuite");
        var uri = new Uri("https://host.foo.com" + rawPath);
        var headers = new Dictionary<string, string> { ["Date"] = "Mon, 09 Sep 2011 23:36:00 GMT", ["Host"] = "host.foo.com" };

        var canonical = ReferenceSigV4.CanonicalRequest("GET", uri, headers, EmptyHash);
        var stringToSign = ReferenceSigV4.StringToSign("20110909T233600Z", "20110909/us-east-1/host/aws4_request", canonical);
        var authorization = ReferenceSigV4.Authorization(AccessKey, "20110909/us-east-1/host/aws4_request", headers.Keys,
            ReferenceSigV4.Signature(SecretKey, "20110909", "us-east-1", "host", stringToSign));

        Assert.Equal(File.ReadAllText(Path.Combine(folder, vector + ".creq")), canonical);
        Assert.Equal(File.ReadAllText(Path.Combine(folder, vector + ".sts")), stringToSign);
        Assert.Equal(File.ReadAllText(Path.Combine(folder, vector + ".authz")), authorization);
    }

    [Theory]
    [InlineData("GET", "https://example.amazonaws.com/", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")]
    [InlineData("GET", "https://example.amazonaws.com/?Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")]
    [InlineData("POST", "https://example.amazonaws.com/", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")]
    [InlineData("GET", "https://example.amazonaws.com/%E1%88%B4", "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85")]
    public void Oracle_reproduces_AWSs_published_2015_vectors(string method, string url, string signature)
    {
        var headers = new Dictionary<string, string> { ["Host"] = "example.amazonaws.com", ["X-Amz-Date"] = "20150830T123600Z" };
        // AWS's suite signs the path as given; the double encoding SDKs add is exercised by the botocore vectors above.
        var canonical = ReferenceSigV4.CanonicalRequest(method, new Uri(url), headers, EmptyHash, doubleEncodePath: false);
        var stringToSign = ReferenceSigV4.StringToSign("20150830T123600Z", "20150830/us-east-1/service/aws4_request", canonical);

        Assert.Equal(signature, ReferenceSigV4.Signature(SecretKey, "20150830", "us-east-1", "service", stringToSign));
    }

    public static TheoryData<string, string, string?> Requests => new()
    {
        { "GET", "https://example.amazonaws.com/", null },
        { "GET", "https://example.amazonaws.com/?Param2=value2&Param1=value1", null },
        { "POST", "https://example.amazonaws.com/", null },
        { "GET", "https://example.amazonaws.com/%E1%88%B4", null },
        { "GET", "https://example.amazonaws.com/%20/foo", null },
        { "PUT", "https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aapi/code",
            """{"S3Bucket":"b","S3Key":"api/1.0.0/api.zip"}""" },
        { "GET", "https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/api/versions?MaxItems=50&Marker=a%2Fb%20c", null },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Handler_signs_as_the_proven_oracle_does(string method, string url, string? body)
    {
        var sent = await SignAsync(new BasicAWSCredentials(AccessKey, SecretKey), method, url, body);

        var authorization = sent.Headers["authorization"];
        var signedHeaders = authorization.Split("SignedHeaders=")[1].Split(',')[0].Split(';');
        Assert.Equal("20150830T123600Z", sent.Headers["x-amz-date"]);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ", authorization);
        Assert.Contains("host", signedHeaders);
        Assert.Contains("x-amz-date", signedHeaders);
        var payloadHash = ReferenceSigV4.Hex(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(body ?? "")));
        Assert.Equal(payloadHash, sent.Headers["x-amz-content-sha256"]);

        var headers = signedHeaders.Select(name => KeyValuePair.Create(name, name == "host" ? sent.Uri.Host : sent.Headers[name]));
        var canonical = ReferenceSigV4.CanonicalRequest(method, sent.Uri, headers, payloadHash);
        var stringToSign = ReferenceSigV4.StringToSign("20150830T123600Z", "20150830/us-east-1/service/aws4_request", canonical);
        var expected = ReferenceSigV4.Authorization(AccessKey, "20150830/us-east-1/service/aws4_request", signedHeaders,
            ReferenceSigV4.Signature(SecretKey, "20150830", "us-east-1", "service", stringToSign));
        Assert.Equal(expected, authorization);
    }

    [Fact]
    public async Task Session_credentials_add_a_signed_security_token()
    {
        var sent = await SignAsync(new SessionAWSCredentials(AccessKey, SecretKey, "token/with+chars"), "GET", "https://example.amazonaws.com/", null);

        Assert.Equal("token/with+chars", sent.Headers["x-amz-security-token"]);
        Assert.Contains("x-amz-security-token", sent.Headers["authorization"].Split("SignedHeaders=")[1].Split(',')[0].Split(';'));
    }

    [Fact]
    public async Task A_changed_secret_changes_the_signature()
    {
        var good = await SignAsync(new BasicAWSCredentials(AccessKey, SecretKey), "GET", "https://example.amazonaws.com/", null);
        var other = await SignAsync(new BasicAWSCredentials(AccessKey, SecretKey + "x"), "GET", "https://example.amazonaws.com/", null);

        Assert.NotEqual(good.Headers["authorization"], other.Headers["authorization"]);
    }

    private static async Task<CapturedRequest> SignAsync(AWSCredentials credentials, string method, string url, string? body)
    {
        var transport = new CapturingHandler().Respond(System.Net.HttpStatusCode.OK);
        var handler = new SigV4SigningHandler(
            new AWSSigV4Parameters { Credentials = credentials, Region = RegionEndpoint.USEast1, Service = "service", SignedAt = SignedAt }, transport);
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var _ = await client.SendAsync(request);
        return Assert.Single(transport.Requests);
    }
}
