using System.Net;
using System.Text.Json;
using Depoxy.Aws.Lambda;
using Depoxy.Aws.Tests.Support;

namespace Depoxy.Aws.Tests;

public sealed class LambdaWaiterTests
{
    private static readonly JsonElement Waiters = Botocore.Waiters("lambda", "2015-03-31").GetProperty("waiters");

    private readonly List<TimeSpan> _sleeps = [];

    [Theory]
    [InlineData("FunctionUpdatedV2")]
    [InlineData("PublishedVersionActive")]
    public void Settings_are_botocores(string waiter)
    {
        var settings = waiter == "FunctionUpdatedV2" ? WaiterSettings.FunctionUpdatedV2 : WaiterSettings.PublishedVersionActive;
        var reference = Waiters.GetProperty(waiter);

        Assert.Equal(TimeSpan.FromSeconds(reference.GetProperty("delay").GetInt32()), settings.Delay);
        Assert.Equal(reference.GetProperty("maxAttempts").GetInt32(), settings.MaxAttempts);
    }

    [Theory]
    [InlineData("FunctionUpdatedV2", "GetFunction", "Configuration.LastUpdateStatus")]
    [InlineData("PublishedVersionActive", "GetFunctionConfiguration", "State")]
    public void Acceptors_are_the_ones_implemented(string waiter, string operation, string argument)
    {
        var reference = Waiters.GetProperty(waiter);
        Assert.Equal(operation, reference.GetProperty("operation").GetString());
        var acceptors = reference.GetProperty("acceptors").EnumerateArray()
            .Select(a => (a.GetProperty("matcher").GetString(), a.GetProperty("argument").GetString(), a.GetProperty("state").GetString(),
                a.GetProperty("expected").GetString()))
            .ToList();
        var (success, failure, retry) = waiter == "FunctionUpdatedV2" ? ("Successful", "Failed", "InProgress") : ("Active", "Failed", "Pending");
        Assert.Equal([("path", argument, "success", success), ("path", argument, "failure", failure), ("path", argument, "retry", retry)], acceptors);
    }

    [Fact]
    public async Task FunctionUpdatedV2_polls_GetFunction_until_Successful()
    {
        var transport = new CapturingHandler()
            .Respond(HttpStatusCode.OK, Function("InProgress"))
            .Respond(HttpStatusCode.OK, Function("InProgress"))
            .Respond(HttpStatusCode.OK, Function("Successful"));
        using var client = LambdaClient.Create(LambdaWireFormatTests.PublicAws(), transport: transport);

        var configuration = await Waiter(client).FunctionUpdatedV2Async("fn");

        Assert.Equal("Successful", configuration.LastUpdateStatus);
        Assert.Equal(3, transport.Requests.Count);
        Assert.All(transport.Requests, r => Assert.Equal("/2015-03-31/functions/fn", r.Uri.AbsolutePath));
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)], _sleeps);
    }

    [Fact]
    public async Task FunctionUpdatedV2_fails_on_Failed_with_Lambdas_reason()
    {
        var transport = new CapturingHandler().Respond(HttpStatusCode.OK, Function("Failed", "S3 object does not exist"));
        using var client = LambdaClient.Create(LambdaWireFormatTests.PublicAws(), transport: transport);

        var error = await Assert.ThrowsAsync<LambdaWaiterException>(() => Waiter(client).FunctionUpdatedV2Async("fn"));

        Assert.Contains("S3 object does not exist", error.Message);
        Assert.Empty(_sleeps);
    }

    [Fact]
    public async Task FunctionUpdatedV2_gives_up_after_max_attempts()
    {
        var transport = new CapturingHandler();
        for (var i = 0; i < 300; i++) transport.Respond(HttpStatusCode.OK, Function("InProgress"));
        using var client = LambdaClient.Create(LambdaWireFormatTests.PublicAws(), transport: transport);

        var error = await Assert.ThrowsAsync<LambdaWaiterException>(() => Waiter(client).FunctionUpdatedV2Async("fn"));

        Assert.Equal(300, transport.Requests.Count);
        Assert.Equal(299, _sleeps.Count);
        Assert.Contains("still InProgress after 300 attempts", error.Message);
    }

    [Fact]
    public async Task PublishedVersionActive_polls_the_versions_configuration_every_5_seconds()
    {
        var transport = new CapturingHandler()
            .Respond(HttpStatusCode.OK, """{"Version":"4","State":"Pending"}""")
            .Respond(HttpStatusCode.OK, """{"Version":"4","State":"Active"}""");
        using var client = LambdaClient.Create(LambdaWireFormatTests.PublicAws(), transport: transport);

        var configuration = await Waiter(client).PublishedVersionActiveAsync("fn", "4");

        Assert.Equal("Active", configuration.State);
        Assert.All(transport.Requests, r => Assert.Equal("/2015-03-31/functions/fn/configuration?Qualifier=4", r.Uri.PathAndQuery));
        Assert.Equal([TimeSpan.FromSeconds(5)], _sleeps);
    }

    private LambdaWaiter Waiter(ILambdaClient client) => new(client, (delay, _) =>
    {
        _sleeps.Add(delay);
        return Task.CompletedTask;
    });

    private static string Function(string status, string? reason = null) =>
        JsonSerializer.Serialize(new { Configuration = new { FunctionName = "fn", LastUpdateStatus = status, LastUpdateStatusReason = reason } });
}
