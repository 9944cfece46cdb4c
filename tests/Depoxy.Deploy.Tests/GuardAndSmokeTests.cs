using System.Net;
using Depoxy.Aws.Sts;
using Depoxy.Build.Engine;
using Depoxy.Deploy.Tests.Support;
using Depoxy.Testing;

namespace Depoxy.Deploy.Tests;

[Collection(DeployMotoCollection.Name)]
public sealed class AccountGuardTests(MotoServer moto)
{
    [Fact]
    public async Task Credentials_of_the_stages_account_pass()
    {
        var caller = await new AccountGuard(new StsCallerIdentityProvider(moto.Aws)).EnsureAsync("dev", "123456789012");

        Assert.Equal("123456789012", caller.Account);
    }

    [Fact]
    public async Task Credentials_of_another_account_are_refused()
    {
        var guard = new AccountGuard(new StsCallerIdentityProvider(moto.Aws));

        var error = await Assert.ThrowsAsync<AccountMismatchException>(() => guard.EnsureAsync("prod", "210987654321"));

        Assert.Equal("refusing to deploy prod: credentials are for account 123456789012, prod is account 210987654321", error.Message);
    }

    [Fact]
    public async Task A_malformed_account_id_is_refused_before_calling_STS()
    {
        var guard = new AccountGuard(new StsCallerIdentityProvider(moto.Aws));

        var error = await Assert.ThrowsAsync<AccountMismatchException>(() => guard.EnsureAsync("dev", "12345"));

        Assert.Contains("AccountId in .nuke/parameters.dev.json", error.Message);
    }
}

public sealed class SmokeTestTests
{
    private static SmokeTest Smoke(StubHealthEndpoint site, int attempts = 5) =>
        new(new HttpClient(site), new SmokeTestOptions { Attempts = attempts, Sleep = StageSeed.NoWait });

    [Fact]
    public async Task Passes_once_health_reports_the_deployed_version()
    {
        var site = new StubHealthEndpoint(
            (HttpStatusCode.ServiceUnavailable, "{}"),
            (HttpStatusCode.OK, StubHealthEndpoint.Health("1.0.0")),
            (HttpStatusCode.OK, StubHealthEndpoint.Health("1.1.0")));

        var result = await Smoke(site).RunAsync(new Uri("https://dev.depoxy.example"), "1.1.0");

        Assert.True(result.Passed);
        Assert.Equal(3, result.Attempts);
        Assert.All(site.Requests, uri => Assert.Equal("https://dev.depoxy.example/api/v1/health", uri.ToString()));
    }

    [Fact]
    public async Task Fails_after_the_bounded_attempts_saying_what_it_saw()
    {
        var site = new StubHealthEndpoint((HttpStatusCode.OK, StubHealthEndpoint.Health("1.0.0")));

        var result = await Smoke(site, attempts: 4).RunAsync(new Uri("https://dev.depoxy.example/"), "1.1.0");

        Assert.False(result.Passed);
        Assert.Equal(4, site.Requests.Count);
        Assert.Equal("1.0.0", result.ReportedVersion);
        Assert.Equal("https://dev.depoxy.example/api/v1/health reports version 1.0.0 after 4 attempts; expected version 1.1.0", result.Detail);
    }

    [Fact]
    public async Task A_healthy_smoke_test_prints_its_outcome_and_keeps_the_refused_probes_before_it_for_verbose_runs()
    {
        var url = new Uri("https://dev.depoxy.example");
        var script = new[] { StubHealthEndpoint.Refused, (HttpStatusCode.OK, StubHealthEndpoint.Health("1.1.0")) };

        var normal = await SmokeLinesAsync(Verbosity.Normal, () => Smoke(new StubHealthEndpoint(script)).RunAsync(url, "1.1.0"));
        var verbose = await SmokeLinesAsync(Verbosity.Verbose, () => Smoke(new StubHealthEndpoint(script)).RunAsync(url, "1.1.0"));

        Assert.Equal(["Smoke test: https://dev.depoxy.example/api/v1/health reports version 1.1.0"], normal);
        Assert.Equal(
            [
                "Smoke test 1/5: https://dev.depoxy.example/api/v1/health did not answer (Connection refused), expected version 1.1.0",
                "Smoke test: https://dev.depoxy.example/api/v1/health reports version 1.1.0",
            ],
            verbose);
    }

    /// <summary>The smoke test's lines at <paramref name="verbosity"/>; other tests of the assembly may log meanwhile, so only its lines are kept.</summary>
    private static async Task<List<string>> SmokeLinesAsync(Verbosity verbosity, Func<Task<SmokeTestResult>> run)
    {
        var captured = new StringWriter();
        var (originalOut, originalVerbosity) = (Log.Out, Log.Verbosity);
        (Log.Out, Log.Verbosity) = (captured, verbosity);
        try
        {
            Assert.True((await run()).Passed);
        }
        finally
        {
            (Log.Out, Log.Verbosity) = (originalOut, originalVerbosity);
        }
        return captured.ToString().Split('\n', StringSplitOptions.TrimEntries).Where(l => l.StartsWith("Smoke test", StringComparison.Ordinal)).ToList();
    }

    [Fact]
    public async Task Html_instead_of_json_is_a_failed_attempt_not_a_crash()
    {
        var site = new StubHealthEndpoint((HttpStatusCode.OK, "<html>CloudFront error</html>"));

        var result = await Smoke(site, attempts: 2).RunAsync(new Uri("https://dev.depoxy.example"), "1.1.0");

        Assert.False(result.Passed);
        Assert.Contains("other than JSON", result.Detail);
    }
}
