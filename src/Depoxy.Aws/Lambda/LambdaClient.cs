using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Depoxy.Aws.Recording;

namespace Depoxy.Aws.Lambda;

/// <summary>
/// Lambda over <see cref="SignedHttpClient"/> (AWSSDK.Lambda is not available): paths, query strings and bodies
/// follow botocore's <c>lambda/2015-03-31/service-2.json</c>. Retries sit above the signing handler, so every
/// attempt is a new, freshly signed request.
/// </summary>
public sealed class LambdaClient : ILambdaClient, IDisposable
{
    public const string ServiceId = "LAMBDA";
    public const string SigningName = "lambda";
    private const string ApiVersion = "/2015-03-31";

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private readonly HttpClient _http;
    private readonly LambdaClientOptions _options;

    public LambdaClient(HttpClient http, LambdaClientOptions? options = null)
    {
        _http = http;
        _options = options ?? new LambdaClientOptions();
    }

    public LambdaClientOptions Options => _options;

    /// <summary>A client for the region of <paramref name="aws"/>, honouring AWS_ENDPOINT_URL_LAMBDA and AWS_ENDPOINT_URL.</summary>
    public static LambdaClient Create(AwsEnvironment aws, LambdaClientOptions? options = null, HttpMessageHandler? transport = null) =>
        new(SignedHttpClient.Create(aws, SigningName, aws.EndpointFor(ServiceId, $"lambda.{aws.Region.SystemName}.amazonaws.com"),
            transport: transport), options);

    public Task<GetFunctionResult> GetFunctionAsync(string functionName, string? qualifier = null, CancellationToken cancellationToken = default) =>
        SendAsync<GetFunctionResult>("GetFunction", Resource(functionName, qualifier), () => Get(FunctionPath(functionName) + Query(("Qualifier", qualifier))),
            retryConflicts: false, expected: null, cancellationToken);

    public Task<FunctionConfiguration> GetFunctionConfigurationAsync(string functionName, string? qualifier = null, CancellationToken cancellationToken = default) =>
        SendAsync<FunctionConfiguration>("GetFunctionConfiguration", Resource(functionName, qualifier),
            () => Get(FunctionPath(functionName) + "/configuration" + Query(("Qualifier", qualifier))),
            retryConflicts: false, expected: null, cancellationToken);

    public async Task<FunctionConfiguration> UpdateFunctionCodeAsync(UpdateFunctionCodeRequest request, CancellationToken cancellationToken = default)
    {
        var body = new { request.S3Bucket, request.S3Key, request.S3ObjectVersion, request.RevisionId };
        try
        {
            return await SendAsync<FunctionConfiguration>("UpdateFunctionCode", Resource(request.FunctionName),
                () => WithBody(HttpMethod.Put, FunctionPath(request.FunctionName) + "/code", body),
                retryConflicts: true, expected: null, cancellationToken);
        }
        catch (AwsServiceException e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            throw await FunctionChangedAsync("UpdateFunctionCode", request.FunctionName, request.RevisionId, e, cancellationToken);
        }
    }

    public async Task<FunctionConfiguration> PublishVersionAsync(PublishVersionRequest request, CancellationToken cancellationToken = default)
    {
        var body = new { request.CodeSha256, request.Description, request.RevisionId };
        try
        {
            return await SendAsync<FunctionConfiguration>("PublishVersion", Resource(request.FunctionName),
                () => WithBody(HttpMethod.Post, FunctionPath(request.FunctionName) + "/versions", body),
                retryConflicts: true, expected: HttpStatusCode.Created, cancellationToken);
        }
        catch (AwsServiceException e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            throw await FunctionChangedAsync("PublishVersion", request.FunctionName, request.RevisionId, e, cancellationToken);
        }
    }

    public async Task<AliasConfiguration?> GetAliasAsync(string functionName, string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await SendAsync<AliasConfiguration>("GetAlias", Resource(functionName, name), () => Get(AliasPath(functionName, name)),
                retryConflicts: false, expected: null, cancellationToken);
        }
        catch (AwsServiceException e) when (e.ErrorCode == "ResourceNotFoundException")
        {
            return null;
        }
    }

    /// <summary>Conflicts are not retried here: a 409 from CreateAlias means the alias already exists.</summary>
    public Task<AliasConfiguration> CreateAliasAsync(string functionName, string name, string functionVersion, string? description = null,
        CancellationToken cancellationToken = default) =>
        SendAsync<AliasConfiguration>("CreateAlias", Resource(functionName, name),
            () => WithBody(HttpMethod.Post, FunctionPath(functionName) + "/aliases",
                new { Name = name, FunctionVersion = functionVersion, Description = description }),
            retryConflicts: false, expected: null, cancellationToken);

    public async Task<AliasConfiguration> UpdateAliasAsync(string functionName, string name, string functionVersion, string? revisionId = null,
        CancellationToken cancellationToken = default)
    {
        try
        {
            return await SendAsync<AliasConfiguration>("UpdateAlias", Resource(functionName, name),
                () => WithBody(HttpMethod.Put, AliasPath(functionName, name), new { FunctionVersion = functionVersion, RevisionId = revisionId }),
                retryConflicts: true, expected: null, cancellationToken);
        }
        catch (AwsServiceException e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            var current = await GetAliasAsync(functionName, name, cancellationToken);
            throw new LambdaPreconditionFailedException(
                $"UpdateAlias refused for {functionName}:{name}: the alias changed after it was read (sent RevisionId {revisionId}, " +
                $"now {current?.RevisionId ?? "gone"} on version {current?.FunctionVersion ?? "none"}); another deploy is moving it — " +
                "let it finish, then run again", null, current, e);
        }
    }

    public async IAsyncEnumerable<FunctionConfiguration> ListVersionsByFunctionAsync(string functionName, int? pageSize = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? marker = null;
        do
        {
            var path = FunctionPath(functionName) + "/versions" +
                       Query(("Marker", marker), ("MaxItems", pageSize?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            var page = await SendAsync<ListVersionsByFunctionResponse>("ListVersionsByFunction", Resource(functionName), () => Get(path),
                retryConflicts: false, expected: null, cancellationToken);
            foreach (var version in page.Versions) yield return version;
            marker = string.IsNullOrEmpty(page.NextMarker) ? null : page.NextMarker;
        } while (marker is not null);
    }

    public void Dispose() => _http.Dispose();

    private async Task<Exception> FunctionChangedAsync(string operation, string functionName, string? sentRevision, AwsServiceException error,
        CancellationToken cancellationToken)
    {
        var current = await GetFunctionConfigurationAsync(functionName, cancellationToken: cancellationToken);
        return new LambdaPreconditionFailedException(
            $"{operation} refused for {functionName}: it changed after it was read (sent RevisionId {sentRevision ?? "none"}, now " +
            $"{current.RevisionId ?? "unknown"} with CodeSha256 {current.CodeSha256}); another deploy or a manual change touched it — " +
            "let that finish, then run the deploy again", current, null, error);
    }

    private async Task<T> SendAsync<T>(string operation, string resource, Func<HttpRequestMessage> build, bool retryConflicts, HttpStatusCode? expected,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = new AwsCallNote(operation, resource).On(build());
            using var response = await _http.SendAsync(request, cancellationToken);
            try
            {
                await AwsResponse.EnsureSuccessAsync(response, "Lambda", cancellationToken);
            }
            catch (AwsServiceException e) when (attempt < _options.MaxAttempts && RetryDelay(e, retryConflicts) is { } delay)
            {
                _options.OnRetry?.Invoke(
                    $"Lambda {operation}: {(int)e.StatusCode} {e.ErrorCode}, retrying in {delay.TotalSeconds:0.##} s (attempt {attempt + 1} of {_options.MaxAttempts})");
                await _options.Delay(delay, cancellationToken);
                continue;
            }
            if (expected is { } status && response.StatusCode != status)
                throw new AwsServiceException("Lambda", response.StatusCode, "UnexpectedStatus",
                    $"{operation} answered {(int)response.StatusCode}, botocore's model says {(int)status}");
            return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
                   ?? throw new AwsServiceException("Lambda", response.StatusCode, "EmptyResponse", $"{operation} answered without a body");
        }
    }

    private TimeSpan? RetryDelay(AwsServiceException error, bool retryConflicts) => error.StatusCode switch
    {
        HttpStatusCode.Conflict when retryConflicts => _options.ConflictDelay,
        HttpStatusCode.TooManyRequests => error.RetryAfter is { } asked
            ? TimeSpan.FromTicks(Math.Clamp(asked.Ticks, 0, _options.MaxRetryAfter.Ticks))
            : _options.ThrottleDelay,
        _ => null,
    };

    /// <summary>IAM authorises a call on the function, or on the version or alias it names (function:name:qualifier).</summary>
    private static string Resource(string functionName, string? qualifier = null) =>
        functionName.StartsWith("arn:", StringComparison.Ordinal)
            ? functionName[(functionName.IndexOf(":function:", StringComparison.Ordinal) + 1)..]
            : "function:" + functionName + (qualifier is null ? "" : ":" + qualifier);

    private static string FunctionPath(string functionName) => $"{ApiVersion}/functions/{Uri.EscapeDataString(functionName)}";

    private static string AliasPath(string functionName, string name) => $"{FunctionPath(functionName)}/aliases/{Uri.EscapeDataString(name)}";

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var present = parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return present.Count == 0 ? "" : "?" + string.Join('&', present);
    }

    private static HttpRequestMessage Get(string pathAndQuery) => new(HttpMethod.Get, pathAndQuery);

    private static HttpRequestMessage WithBody(HttpMethod method, string path, object body) =>
        new(method, path)
        {
            // botocore's rest-json serializer sends exactly this content type (no charset).
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), Json))
            {
                Headers = { ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") },
            },
        };
}
