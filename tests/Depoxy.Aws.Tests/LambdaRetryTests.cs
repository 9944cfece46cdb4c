using System.Net;
using System.Net.Http.Headers;
using Depoxy.Aws.Lambda;
using Depoxy.Aws.Tests.Support;

namespace Depoxy.Aws.Tests;

public sealed class LambdaRetryTests
{
    private const string Configuration = """{"FunctionName":"fn","CodeSha256":"new=","Version":"$LATEST","RevisionId":"r-9","LastUpdateStatus":"InProgress"}""";

    private readonly List<TimeSpan> _sleeps = [];
    private readonly List<string> _log = [];

    private LambdaClient Client(CapturingHandler transport, int maxAttempts = 4) =>
        LambdaClient.Create(LambdaWireFormatTests.PublicAws(), new LambdaClientOptions
        {
            MaxAttempts = maxAttempts,
            ConflictDelay = TimeSpan.FromSeconds(3),
            Delay = (delay, _) =>
            {
                _sleeps.Add(delay);
                return Task.CompletedTask;
            },
            OnRetry = _log.Add,
        }, transport);

    [Fact]
    public async Task Conflict_during_an_update_is_waited_out_and_retried_with_a_fresh_signature()
    {
        var transport = new CapturingHandler()
            .RespondError(HttpStatusCode.Conflict, "ResourceConflictException", "An update is in progress for resource: fn")
            .RespondError(HttpStatusCode.Conflict, "ResourceConflictException", "An update is in progress for resource: fn")
            .Respond(HttpStatusCode.OK, Configuration);
        using var client = Client(transport);

        var result = await client.UpdateFunctionCodeAsync(new UpdateFunctionCodeRequest("fn", "b", "k"));

        Assert.Equal("new=", result.CodeSha256);
        Assert.Equal(3, transport.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3)], _sleeps);
        Assert.Equal(2, _log.Count(line => line.Contains("ResourceConflictException")));
        Assert.All(transport.Requests, r => Assert.Equal(transport.Requests[0].Body, r.Body));
    }

    [Fact]
    public async Task Conflict_retries_are_bounded()
    {
        var transport = new CapturingHandler();
        for (var i = 0; i < 4; i++) transport.RespondError(HttpStatusCode.Conflict, "ResourceConflictException", "busy");
        using var client = Client(transport, maxAttempts: 4);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => client.PublishVersionAsync(new PublishVersionRequest("fn")));

        Assert.Equal("ResourceConflictException", error.ErrorCode);
        Assert.Equal(4, transport.Requests.Count);
        Assert.Equal(3, _sleeps.Count);
    }

    [Fact]
    public async Task Conflict_on_CreateAlias_is_not_retried_because_it_means_the_alias_exists()
    {
        var transport = new CapturingHandler().RespondError(HttpStatusCode.Conflict, "ResourceConflictException", "Alias already exists: live");
        using var client = Client(transport);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => client.CreateAliasAsync("fn", "live", "3"));

        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
        Assert.Single(transport.Requests);
        Assert.Empty(_sleeps);
    }

    [Fact]
    public async Task Throttling_honours_Retry_After()
    {
        var transport = new CapturingHandler()
            .RespondError(HttpStatusCode.TooManyRequests, "TooManyRequestsException", "Rate exceeded",
                r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7)))
            .Respond(HttpStatusCode.OK, Configuration);
        using var client = Client(transport);

        await client.GetFunctionConfigurationAsync("fn");

        Assert.Equal([TimeSpan.FromSeconds(7)], _sleeps);
        Assert.Equal(2, transport.Requests.Count);
    }

    [Fact]
    public async Task Precondition_failed_re_reads_the_function_and_stops_naming_what_is_there_now()
    {
        var transport = new CapturingHandler()
            .RespondError(HttpStatusCode.PreconditionFailed, "PreconditionFailedException", "The Revision Id provided does not match the latest Revision Id.")
            .Respond(HttpStatusCode.OK, Configuration);
        using var client = Client(transport);

        var error = await Assert.ThrowsAsync<LambdaPreconditionFailedException>(() =>
            client.UpdateFunctionCodeAsync(new UpdateFunctionCodeRequest("fn", "b", "k") { RevisionId = "r-1" }));

        Assert.Equal([HttpMethod.Put, HttpMethod.Get], transport.Requests.Select(r => r.Method));
        Assert.EndsWith("/functions/fn/configuration", transport.Requests[1].Uri.AbsolutePath);
        Assert.Contains("sent RevisionId r-1, now r-9 with CodeSha256 new=", error.Message);
        Assert.Equal("r-9", error.Current?.RevisionId);
        Assert.Empty(_sleeps);
    }

    [Fact]
    public async Task Precondition_failed_on_UpdateAlias_re_reads_the_alias()
    {
        var transport = new CapturingHandler()
            .RespondError(HttpStatusCode.PreconditionFailed, "PreconditionFailedException", "revision mismatch")
            .Respond(HttpStatusCode.OK, """{"Name":"live","FunctionVersion":"9","RevisionId":"a-7"}""");
        using var client = Client(transport);

        var error = await Assert.ThrowsAsync<LambdaPreconditionFailedException>(() => client.UpdateAliasAsync("fn", "live", "8", "a-6"));

        Assert.Contains("now a-7 on version 9", error.Message);
        Assert.Equal("9", error.CurrentAlias?.FunctionVersion);
    }

    [Fact]
    public async Task Errors_are_named_from_x_amzn_ErrorType()
    {
        var transport = new CapturingHandler().RespondError(HttpStatusCode.BadRequest, "InvalidParameterValueException", "bad S3 key");
        using var client = Client(transport);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => client.UpdateFunctionCodeAsync(new UpdateFunctionCodeRequest("fn", "b", "k")));

        Assert.Equal("InvalidParameterValueException", error.ErrorCode);
        Assert.Contains("bad S3 key", error.Message);
        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task A_missing_alias_reads_as_null()
    {
        var transport = new CapturingHandler().RespondError(HttpStatusCode.NotFound, "ResourceNotFoundException", "Cannot find alias arn");
        using var client = Client(transport);

        Assert.Null(await client.GetAliasAsync("fn", "live"));
    }
}
