using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Amazon;
using Amazon.Runtime;
using Depoxy.Aws;
using Depoxy.Aws.CloudFront;

namespace Depoxy.Sites.Tests;

/// <summary>The CloudFront client's requests against botocore's cloudfront 2020-05-31 model, over a recording transport.</summary>
public sealed class CloudFrontClientTests
{
    private static readonly Lazy<JsonElement> Model = new(LoadModel);
    private static readonly CloudFrontRetry NoWaitRetry = new(3, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5));

    // No endpoint override and a region other than us-east-1: the client must still go to the global endpoint and sign for us-east-1.
    private static readonly AwsEnvironment PublicAws =
        new(new BasicAWSCredentials("AKIDEXAMPLE", "secret"), RegionEndpoint.EUWest1, new Dictionary<string, string>());

    [Fact]
    public async Task CreateInvalidation_matches_the_model()
    {
        var transport = new RecordingTransport(_ => Reply(HttpStatusCode.Created, InvalidationXml("I2J3", "InProgress", "/a.html", "/b/")));
        using var client = new CloudFrontClient(PublicAws, transport, NoWaitRetry);

        var created = await client.CreateInvalidationAsync("E2QWRUHAPOMQZL", ["/a.html", "/b/"], "depoxy-123");

        var operation = Operation("CreateInvalidation2020_05_31");
        var request = Assert.Single(transport.Requests);
        Assert.Equal(operation.GetProperty("http").GetProperty("method").GetString(), request.Method);
        Assert.Equal(operation.GetProperty("http").GetProperty("requestUri").GetString()!.Replace("{DistributionId}", "E2QWRUHAPOMQZL"),
            request.Uri.AbsolutePath);
        Assert.Equal("cloudfront.amazonaws.com", request.Uri.Host);
        Assert.Equal("https", request.Uri.Scheme);
        Assert.Contains("/us-east-1/cloudfront/aws4_request", request.Headers);

        var input = Shape(operation.GetProperty("input").GetProperty("shape").GetString()!);
        var payload = input.GetProperty("members").GetProperty(input.GetProperty("payload").GetString()!);
        XNamespace ns = payload.GetProperty("xmlNamespace").GetProperty("uri").GetString()!;
        var root = XDocument.Parse(request.Body).Root!;
        Assert.Equal(ns + payload.GetProperty("locationName").GetString()!, root.Name);
        var batch = Shape(payload.GetProperty("shape").GetString()!);
        Assert.Equal(MemberNames(batch), root.Elements().Select(e => e.Name.LocalName));
        Assert.All(root.Descendants(), e => Assert.Equal(ns, e.Name.Namespace));
        var paths = root.Element(ns + "Paths")!;
        Assert.Equal(MemberNames(Shape("Paths")), paths.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("2", paths.Element(ns + "Quantity")!.Value);
        var itemName = Shape("PathList").GetProperty("member").GetProperty("locationName").GetString()!;
        Assert.Equal(["/a.html", "/b/"], paths.Element(ns + "Items")!.Elements(ns + itemName).Select(e => e.Value));
        Assert.Equal("depoxy-123", root.Element(ns + "CallerReference")!.Value);

        Assert.Equal(("I2J3", "InProgress", "depoxy-123"), (created.Id, created.Status, created.CallerReference));
        Assert.Equal(["/a.html", "/b/"], created.Paths);
    }

    [Fact]
    public async Task GetInvalidation_matches_the_model_and_honours_the_endpoint_override()
    {
        var transport = new RecordingTransport(_ => Reply(HttpStatusCode.OK, InvalidationXml("I2J3", "Completed", "/*")));
        var aws = PublicAws with { Variables = new Dictionary<string, string> { ["AWS_ENDPOINT_URL_CLOUDFRONT"] = "http://127.0.0.1:4566" } };
        using var client = new CloudFrontClient(aws, transport, NoWaitRetry);

        var invalidation = await client.GetInvalidationAsync("E2QWRUHAPOMQZL", "I2J3");

        var http = Operation("GetInvalidation2020_05_31").GetProperty("http");
        var request = Assert.Single(transport.Requests);
        Assert.Equal(http.GetProperty("method").GetString(), request.Method);
        Assert.Equal(http.GetProperty("requestUri").GetString()!.Replace("{DistributionId}", "E2QWRUHAPOMQZL").Replace("{Id}", "I2J3"),
            request.Uri.AbsolutePath);
        Assert.Equal("127.0.0.1:4566", request.Uri.Authority);
        Assert.True(invalidation.IsCompleted);
        Assert.Equal(["/*"], invalidation.Paths);
    }

    [Fact]
    public async Task Server_errors_and_throttling_are_retried_within_the_bound()
    {
        var answers = new Queue<HttpResponseMessage>([
            Reply(HttpStatusCode.ServiceUnavailable, ErrorXml("ServiceUnavailable")),
            Reply(HttpStatusCode.BadRequest, ErrorXml("Throttling")),
            Reply(HttpStatusCode.OK, InvalidationXml("I1", "Completed", "/")),
        ]);
        var transport = new RecordingTransport(_ => answers.Dequeue());
        using var client = new CloudFrontClient(PublicAws, transport, NoWaitRetry);

        Assert.Equal("I1", (await client.GetInvalidationAsync("E1", "I1")).Id);
        Assert.Equal(3, transport.Requests.Count);

        var failing = new RecordingTransport(_ => Reply(HttpStatusCode.InternalServerError, ErrorXml("InternalError")));
        using var bounded = new CloudFrontClient(PublicAws, failing, NoWaitRetry);
        var error = await Assert.ThrowsAsync<AwsServiceException>(() => bounded.GetInvalidationAsync("E1", "I1"));
        Assert.Equal("InternalError", error.ErrorCode);
        Assert.Equal(NoWaitRetry.MaxAttempts, failing.Requests.Count);
    }

    [Fact]
    public async Task Client_errors_are_not_retried()
    {
        var transport = new RecordingTransport(_ => Reply(HttpStatusCode.NotFound, ErrorXml("NoSuchDistribution")));
        using var client = new CloudFrontClient(PublicAws, transport, NoWaitRetry);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => client.CreateInvalidationAsync("E404", ["/"], "ref"));

        Assert.Equal("NoSuchDistribution", error.ErrorCode);
        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task Waiter_polls_until_completed_and_gives_up_after_max_attempts()
    {
        var statuses = new Queue<string>(["InProgress", "InProgress", "Completed"]);
        var transport = new RecordingTransport(_ => Reply(HttpStatusCode.OK, InvalidationXml("I1", statuses.Dequeue(), "/")));
        using var client = new CloudFrontClient(PublicAws, transport, NoWaitRetry);
        var seen = new List<int>();

        var done = await client.WaitForInvalidationCompletedAsync("E1", "I1", new InvalidationWaiter(TimeSpan.FromMilliseconds(1), 5),
            (attempt, _) => seen.Add(attempt));

        Assert.True(done.IsCompleted);
        Assert.Equal([1, 2, 3], seen);
        Assert.Equal(3, transport.Requests.Count);

        var stuck = new RecordingTransport(_ => Reply(HttpStatusCode.OK, InvalidationXml("I1", "InProgress", "/")));
        using var stuckClient = new CloudFrontClient(PublicAws, stuck, NoWaitRetry);
        var timeout = await Assert.ThrowsAsync<TimeoutException>(() =>
            stuckClient.WaitForInvalidationCompletedAsync("E1", "I1", new InvalidationWaiter(TimeSpan.FromMilliseconds(1), 2)));
        Assert.Contains("still InProgress", timeout.Message);
        Assert.Equal(2, stuck.Requests.Count);
    }

    [Fact]
    public void Default_waiter_is_botocores_invalidation_completed()
    {
        var waiters = JsonDocument.Parse(File.ReadAllText(Path.Combine(ModelFolder(), "waiters-2.json"))).RootElement;
        var waiter = waiters.GetProperty("waiters").GetProperty("InvalidationCompleted");
        Assert.Equal(waiter.GetProperty("delay").GetInt32(), (int)InvalidationWaiter.Default.Delay.TotalSeconds);
        Assert.Equal(waiter.GetProperty("maxAttempts").GetInt32(), InvalidationWaiter.Default.MaxAttempts);
        var expected = waiter.GetProperty("acceptors")[0].GetProperty("expected").GetString();
        Assert.True(expected == CloudFrontInvalidation.CompletedStatus, $"botocore waits for {expected}");
    }

    private static JsonElement Operation(string name) =>
        Model.Value.GetProperty("operations").EnumerateObject().Single(o => o.Value.GetProperty("name").GetString() == name).Value;

    private static JsonElement Shape(string name) => Model.Value.GetProperty("shapes").GetProperty(name);

    private static IEnumerable<string> MemberNames(JsonElement shape) =>
        shape.GetProperty("members").EnumerateObject().Select(m => m.Value.TryGetProperty("locationName", out var n) ? n.GetString()! : m.Name);

    private static JsonElement LoadModel()
    {
        using var gzip = new GZipStream(File.OpenRead(Path.Combine(ModelFolder(), "service-2.json.gz")), CompressionMode.Decompress);
        return JsonDocument.Parse(gzip).RootElement.Clone();
    }

    private static string ModelFolder()
    {
        using var python = Process.Start(new ProcessStartInfo("python3", ["-c", "import botocore; print(botocore.__path__[0])"])
        {
            RedirectStandardOutput = true,
        })!;
        var root = python.StandardOutput.ReadToEnd().Trim();
        python.WaitForExit();
        return Path.Combine(root, "data", "cloudfront", CloudFrontClient.ApiVersion);
    }

    private static HttpResponseMessage Reply(HttpStatusCode status, string xml) =>
        new(status) { Content = new StringContent(xml, Encoding.UTF8, "text/xml") };

    private static string ErrorXml(string code) =>
        $"<ErrorResponse xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{code} happened</Message></Error><RequestId>r</RequestId></ErrorResponse>";

    private static string InvalidationXml(string id, string status, params string[] paths) =>
        $"""
        <?xml version="1.0"?>
        <Invalidation xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">
          <Id>{id}</Id><Status>{status}</Status><CreateTime>2026-11-26T10:00:00.000Z</CreateTime>
          <InvalidationBatch>
            <Paths><Quantity>{paths.Length}</Quantity><Items>{string.Concat(paths.Select(p => $"<Path>{p}</Path>"))}</Items></Paths>
            <CallerReference>depoxy-123</CallerReference>
          </InvalidationBatch>
        </Invalidation>
        """;

    private sealed record RecordedRequest(string Method, Uri Uri, string Headers, string Body);

    private sealed class RecordingTransport(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<RecordedRequest> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            Requests.Add(new RecordedRequest(request.Method.Method, request.RequestUri!, string.Join(",", request.Headers.NonValidated.Select(h => $"{h.Key}: {h.Value}")), body));
            return answer(request);
        }
    }
}
