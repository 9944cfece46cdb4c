using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Web;
using Amazon;
using Amazon.Runtime;
using Depoxy.Aws.Lambda;
using Depoxy.Aws.Tests.Support;

namespace Depoxy.Aws.Tests;

/// <summary>Every Lambda request the client sends, held against botocore's lambda/2015-03-31 service model.</summary>
public sealed class LambdaWireFormatTests
{
    private const string FunctionArn = "arn:aws:lambda:eu-west-1:123456789012:function:depoxy-dev-api";
    private const string Configuration =
        """{"FunctionName":"depoxy-dev-api","CodeSha256":"abc=","Version":"7","RevisionId":"r-2","State":"Active","LastUpdateStatus":"Successful"}""";
    private const string Alias = """{"AliasArn":"arn:aws:lambda:eu-west-1:123456789012:function:depoxy-dev-api:live","Name":"live","FunctionVersion":"7","RevisionId":"a-1"}""";

    private static readonly JsonElement Model = Botocore.ServiceModel("lambda", "2015-03-31");

    public static TheoryData<string> Operations =>
    [
        "GetFunction", "GetFunctionConfiguration", "UpdateFunctionCode", "PublishVersion", "GetAlias", "CreateAlias", "UpdateAlias",
        "ListVersionsByFunction",
    ];

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Request_matches_the_botocore_model(string operation)
    {
        var (input, call, responseBody) = Case(operation);
        var transport = new CapturingHandler().Respond((HttpStatusCode)ResponseCode(operation), responseBody);
        using var client = LambdaClient.Create(PublicAws(), transport: transport);

        await call(client);

        var request = Assert.Single(transport.Requests);
        AssertMatchesModel(operation, input, request);
    }

    [Fact]
    public async Task Requests_go_to_the_regional_endpoint_signed_for_lambda()
    {
        var transport = new CapturingHandler().Respond(HttpStatusCode.OK, Configuration);
        using var client = LambdaClient.Create(PublicAws(), transport: transport);

        await client.GetFunctionConfigurationAsync("depoxy-dev-api");

        var request = Assert.Single(transport.Requests);
        Assert.Equal("lambda.eu-west-1.amazonaws.com", request.Uri.Host);
        Assert.Equal("https", request.Uri.Scheme);
        Assert.Equal(LambdaClient.SigningName, Model.GetProperty("metadata").GetProperty("signingName").GetString());
        Assert.Matches(@"^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\d{8}/eu-west-1/lambda/aws4_request, SignedHeaders=[a-z0-9;-]*host;[a-z0-9;-]*x-amz-date", request.Headers["authorization"]);
    }

    [Fact]
    public void Endpoint_override_for_lambda_wins_over_the_global_one()
    {
        var aws = PublicAws() with
        {
            Variables = new Dictionary<string, string>
            {
                ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1",
                ["AWS_ENDPOINT_URL_LAMBDA"] = "http://127.0.0.1:2",
            },
        };
        Assert.Equal(new Uri("http://127.0.0.1:2"), aws.EndpointFor(LambdaClient.ServiceId, "lambda.eu-west-1.amazonaws.com"));
        Assert.Equal("Lambda", Model.GetProperty("metadata").GetProperty("serviceId").GetString(), ignoreCase: true);
    }

    [Theory]
    [InlineData(typeof(FunctionConfiguration), "FunctionConfiguration")]
    [InlineData(typeof(GetFunctionResult), "GetFunctionResponse")]
    [InlineData(typeof(FunctionCodeLocation), "FunctionCodeLocation")]
    [InlineData(typeof(AliasConfiguration), "AliasConfiguration")]
    [InlineData(typeof(UpdateFunctionCodeRequest), "UpdateFunctionCodeRequest")]
    [InlineData(typeof(PublishVersionRequest), "PublishVersionRequest")]
    public void Record_properties_are_members_of_the_model_shape(Type type, string shape)
    {
        var members = Shape(shape).GetProperty("members").EnumerateObject().Select(m => m.Name).ToHashSet();
        var unknown = type.GetProperties().Select(p => p.Name).Where(name => !members.Contains(name)).ToList();
        Assert.Empty(unknown);
    }

    [Fact]
    public async Task ListVersionsByFunction_follows_NextMarker_until_the_last_page()
    {
        var transport = new CapturingHandler()
            .Respond(HttpStatusCode.OK, """{"NextMarker":"m/1","Versions":[{"Version":"$LATEST"},{"Version":"1"}]}""")
            .Respond(HttpStatusCode.OK, """{"NextMarker":"m 2","Versions":[{"Version":"2"}]}""")
            .Respond(HttpStatusCode.OK, """{"Versions":[{"Version":"3"}]}""");
        using var client = LambdaClient.Create(PublicAws(), transport: transport);

        var versions = await client.ListVersionsByFunctionAsync("depoxy-dev-api", pageSize: 2).Select(v => v.Version).ToListAsync();

        Assert.Equal(["$LATEST", "1", "2", "3"], versions);
        Assert.Equal([null, "m/1", "m 2"], transport.Requests.Select(r => HttpUtility.ParseQueryString(r.Uri.Query)["Marker"]));
        Assert.All(transport.Requests, r => Assert.Equal("2", HttpUtility.ParseQueryString(r.Uri.Query)["MaxItems"]));
    }

    [Fact]
    public async Task PublishVersion_answering_200_instead_of_201_is_an_error()
    {
        var transport = new CapturingHandler().Respond(HttpStatusCode.OK, Configuration);
        using var client = LambdaClient.Create(PublicAws(), transport: transport);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => client.PublishVersionAsync(new PublishVersionRequest("depoxy-dev-api")));

        Assert.Contains("201", error.Message);
    }

    [Fact]
    public async Task Responses_are_read_into_typed_records()
    {
        var transport = new CapturingHandler()
            .Respond(HttpStatusCode.OK, "{\"Configuration\":" + Configuration + ""","Code":{"RepositoryType":"S3","Location":"https://x"}}""")
            .Respond(HttpStatusCode.OK, Alias);
        using var client = LambdaClient.Create(PublicAws(), transport: transport);

        var function = await client.GetFunctionAsync("depoxy-dev-api");
        var alias = await client.GetAliasAsync("depoxy-dev-api", "live");

        Assert.Equal(("abc=", "7", "r-2", "Successful", "S3"),
            (function.Configuration.CodeSha256, function.Configuration.Version, function.Configuration.RevisionId,
                function.Configuration.LastUpdateStatus, function.Code?.RepositoryType));
        Assert.Equal(("live", "7", "a-1"), (alias!.Name, alias.FunctionVersion, alias.RevisionId));
    }

    private static (Dictionary<string, string> Input, Func<LambdaClient, Task> Call, string Response) Case(string operation) => operation switch
    {
        "GetFunction" => (new() { ["FunctionName"] = FunctionArn, ["Qualifier"] = "live" },
            c => c.GetFunctionAsync(FunctionArn, "live"), "{\"Configuration\":" + Configuration + "}"),
        "GetFunctionConfiguration" => (new() { ["FunctionName"] = "depoxy-dev-api", ["Qualifier"] = "7" },
            c => c.GetFunctionConfigurationAsync("depoxy-dev-api", "7"), Configuration),
        "UpdateFunctionCode" => (
            new() { ["FunctionName"] = FunctionArn, ["S3Bucket"] = "depoxy-dev-artifacts", ["S3Key"] = "api/1.2.3/api.zip", ["RevisionId"] = "r-1" },
            c => c.UpdateFunctionCodeAsync(new UpdateFunctionCodeRequest(FunctionArn, "depoxy-dev-artifacts", "api/1.2.3/api.zip") { RevisionId = "r-1" }),
            Configuration),
        "PublishVersion" => (new() { ["FunctionName"] = "depoxy-dev-api", ["CodeSha256"] = "abc=", ["RevisionId"] = "r-2", ["Description"] = "1.2.3" },
            c => c.PublishVersionAsync(new PublishVersionRequest("depoxy-dev-api") { CodeSha256 = "abc=", RevisionId = "r-2", Description = "1.2.3" }),
            Configuration),
        "GetAlias" => (new() { ["FunctionName"] = "depoxy-dev-api", ["Name"] = "live" }, c => c.GetAliasAsync("depoxy-dev-api", "live"), Alias),
        "CreateAlias" => (new() { ["FunctionName"] = "depoxy-dev-api", ["Name"] = "live", ["FunctionVersion"] = "7" },
            c => c.CreateAliasAsync("depoxy-dev-api", "live", "7"), Alias),
        "UpdateAlias" => (new() { ["FunctionName"] = "depoxy-dev-api", ["Name"] = "live", ["FunctionVersion"] = "7", ["RevisionId"] = "a-1" },
            c => c.UpdateAliasAsync("depoxy-dev-api", "live", "7", "a-1"), Alias),
        "ListVersionsByFunction" => (new() { ["FunctionName"] = FunctionArn, ["MaxItems"] = "50" },
            async c => await c.ListVersionsByFunctionAsync(FunctionArn, 50).ToListAsync(), """{"Versions":[]}"""),
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };

    private static void AssertMatchesModel(string operation, IReadOnlyDictionary<string, string> input, CapturedRequest request)
    {
        var op = Model.GetProperty("operations").GetProperty(operation);
        var http = op.GetProperty("http");
        var shape = Shape(op.GetProperty("input").GetProperty("shape").GetString()!);
        var members = shape.GetProperty("members").EnumerateObject()
            .ToDictionary(m => m.Name, m => (
                Location: m.Value.TryGetProperty("location", out var l) ? l.GetString() : null,
                Name: m.Value.TryGetProperty("locationName", out var n) ? n.GetString()! : m.Name));

        Assert.All(input.Keys, key => Assert.True(members.ContainsKey(key), $"{key} is not a member of {operation}'s input"));
        foreach (var required in shape.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(e => e.GetString()!) : [])
            Assert.True(input.ContainsKey(required), $"{operation} requires {required}");

        Assert.Equal(http.GetProperty("method").GetString(), request.Method.Method);

        var expectedPath = Regex.Replace(http.GetProperty("requestUri").GetString()!.Split('?')[0], @"\{(\w+)(\+?)\}", match =>
        {
            var member = members.Single(m => m.Value.Location == "uri" && m.Value.Name == match.Groups[1].Value).Key;
            return Uri.EscapeDataString(input[member]);
        });
        Assert.Equal(expectedPath, request.Uri.AbsolutePath);

        var query = HttpUtility.ParseQueryString(request.Uri.Query);
        var expectedQuery = members.Where(m => m.Value.Location == "querystring" && input.ContainsKey(m.Key))
            .ToDictionary(m => m.Value.Name, m => input[m.Key]);
        Assert.Equal(expectedQuery.OrderBy(p => p.Key), query.AllKeys.Select(k => new KeyValuePair<string, string>(k!, query[k]!)).OrderBy(p => p.Key));

        foreach (var header in members.Where(m => m.Value.Location == "header" && input.ContainsKey(m.Key)))
            Assert.Equal(input[header.Key], request.Headers[header.Value.Name]);

        var expectedBody = members.Where(m => m.Value.Location is null && input.ContainsKey(m.Key)).ToDictionary(m => m.Value.Name, m => input[m.Key]);
        if (expectedBody.Count == 0)
        {
            Assert.Equal("", request.Body);
            return;
        }
        Assert.Equal("application/json", request.ContentType);
        using var body = JsonDocument.Parse(request.Body);
        var sent = body.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        Assert.Equal(expectedBody.OrderBy(p => p.Key), sent.OrderBy(p => p.Key));
        Assert.Equal(request.Headers["x-amz-content-sha256"],
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(request.Body))));
    }

    private static int ResponseCode(string operation) =>
        Model.GetProperty("operations").GetProperty(operation).GetProperty("http").TryGetProperty("responseCode", out var code) ? code.GetInt32() : 200;

    private static JsonElement Shape(string name) => Model.GetProperty("shapes").GetProperty(name);

    internal static AwsEnvironment PublicAws() =>
        new(new BasicAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), RegionEndpoint.EUWest1, new Dictionary<string, string>());
}
