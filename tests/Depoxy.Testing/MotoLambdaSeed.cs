using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Depoxy.Aws;

namespace Depoxy.Testing;

/// <summary>
/// Test seeding for moto: the IAM role and Lambda function Terraform would create in a real account, made with
/// raw signed requests (the deploy code itself never creates functions, so it has no client call for it).
/// </summary>
public static class MotoLambdaSeed
{
    public const string TrustPolicy =
        """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    /// <summary>Creates an IAM role (query protocol) and returns its ARN.</summary>
    public static async Task<string> CreateRoleAsync(AwsEnvironment aws, string roleName)
    {
        using var iam = SignedHttpClient.Create(aws, "iam", aws.EndpointFor("IAM", "iam.amazonaws.com"));
        using var response = await iam.PostAsync("/", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Action"] = "CreateRole",
            ["Version"] = "2010-05-08",
            ["RoleName"] = roleName,
            ["AssumeRolePolicyDocument"] = TrustPolicy,
        }));
        await AwsResponse.EnsureSuccessAsync(response, "IAM");
        var xml = System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync());
        return xml.Descendants().First(e => e.Name.LocalName == "Arn").Value;
    }

    /// <summary>Creates a zip function whose code is the S3 object s3://bucket/key (moto runs no code for this).</summary>
    public static async Task CreateFunctionAsync(AwsEnvironment aws, string functionName, string bucket, string key, string roleArn)
    {
        using var lambda = SignedHttpClient.Create(aws, "lambda", aws.EndpointFor("LAMBDA", $"lambda.{aws.Region.SystemName}.amazonaws.com"));
        // A sized body: moto's server rejects a chunked one, which PostAsJsonAsync would send.
        using var body = new StringContent(JsonSerializer.Serialize(new
        {
            FunctionName = functionName,
            Runtime = "python3.12",
            Role = roleArn,
            Handler = "run.sh",
            Code = new { S3Bucket = bucket, S3Key = key },
            Publish = false,
        }), Encoding.UTF8, "application/json");
        using var response = await lambda.PostAsync("/2015-03-31/functions", body);
        await AwsResponse.EnsureSuccessAsync(response, "Lambda");
    }

    /// <summary>A zip with fixed timestamps, so equal content gives equal bytes and an equal CodeSha256.</summary>
    public static byte[] Zip(params (string Name, string Content)[] files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                entry.LastWriteTime = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
                using var writer = new StreamWriter(entry.Open());
                writer.Write(content);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>Lambda's CodeSha256 form: base64 of the SHA-256 of the zip.</summary>
    public static string Base64Sha256(byte[] bytes) => Convert.ToBase64String(SHA256.HashData(bytes));
}
