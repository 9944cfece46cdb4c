using System.Net;
using Depoxy.Aws.Lambda;
using Depoxy.Deploy.Tests.Support;
using Depoxy.Testing;

namespace Depoxy.Deploy.Tests;

[Collection(DeployMotoCollection.Name)]
public sealed class LambdaReleaserTests(MotoServer moto) : IAsyncLifetime
{
    private readonly StageSeed _stage = new(moto);

    public Task InitializeAsync() => _stage.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Release_updates_the_code_publishes_it_and_moves_the_alias()
    {
        var v1 = await _stage.PublishArtifactAsync("1.0.0");
        var v2 = await _stage.PublishArtifactAsync("2.0.0");
        await _stage.CreateFunctionAsync(v1);
        using var lambda = _stage.Lambda();
        var releaser = StageSeed.Releaser(lambda);

        var first = await releaser.ReleaseAsync(StageSeed.Function, "live", v1, "1.0.0");
        var second = await releaser.ReleaseAsync(StageSeed.Function, "live", v2, "2.0.0");

        Assert.False(first.CodeUpdated);
        Assert.Null(first.PreviousVersion);
        Assert.True(second.CodeUpdated);
        Assert.Equal(first.LambdaVersion, second.PreviousVersion);
        Assert.NotEqual(first.LambdaVersion, second.LambdaVersion);
        var alias = await lambda.GetAliasAsync(StageSeed.Function, "live");
        Assert.Equal(second.LambdaVersion, alias?.FunctionVersion);
        var published = await lambda.GetFunctionConfigurationAsync(StageSeed.Function, second.LambdaVersion);
        Assert.Equal(v2.Base64Sha256, published.CodeSha256);
    }

    [Fact]
    public async Task Code_Terraform_already_deployed_is_not_uploaded_again()
    {
        var v1 = await _stage.PublishArtifactAsync("1.0.0");
        await _stage.CreateFunctionAsync(v1);
        var transport = new FaultInjectingHandler(_ => false, HttpStatusCode.OK, "");
        using var lambda = _stage.Lambda(transport);

        var release = await StageSeed.Releaser(lambda).ReleaseAsync(StageSeed.Function, "live", v1);

        Assert.False(release.CodeUpdated);
        Assert.DoesNotContain(transport.Seen, line => line.StartsWith("PUT") && line.EndsWith("/code"));
        Assert.Equal(v1.Base64Sha256, release.CodeSha256);
    }

    [Fact]
    public async Task A_hash_mismatch_stops_before_anything_is_published_or_moved()
    {
        var v1 = await _stage.PublishArtifactAsync("1.0.0");
        var v2 = await _stage.PublishArtifactAsync("2.0.0");
        await _stage.CreateFunctionAsync(v1);
        using var lambda = _stage.Lambda();
        // The manifest's hash is of other bytes than the object in the bucket: Lambda ends up running the object.
        var tampered = v2 with { Base64Sha256 = MotoLambdaSeed.Base64Sha256("the bytes the manifest describes"u8.ToArray()) };

        var error = await Assert.ThrowsAsync<HashMismatchException>(() =>
            StageSeed.Releaser(lambda).ReleaseAsync(StageSeed.Function, "live", tampered));

        Assert.StartsWith("hash mismatch", error.Message);
        Assert.Contains(v2.Base64Sha256, error.Message);
        Assert.Equal(["$LATEST"], await lambda.ListVersionsByFunctionAsync(StageSeed.Function).Select(v => v.Version).ToListAsync());
        Assert.Null(await lambda.GetAliasAsync(StageSeed.Function, "live"));
    }

    [Fact]
    public async Task A_409_during_the_code_update_is_waited_out()
    {
        var v1 = await _stage.PublishArtifactAsync("1.0.0");
        var v2 = await _stage.PublishArtifactAsync("2.0.0");
        await _stage.CreateFunctionAsync(v1);
        var retries = new List<string>();
        var transport = new FaultInjectingHandler(r => r.Method == HttpMethod.Put && r.RequestUri!.AbsolutePath.EndsWith("/code"),
            HttpStatusCode.Conflict, "ResourceConflictException");
        using var lambda = _stage.Lambda(transport, retries.Add);

        var release = await StageSeed.Releaser(lambda).ReleaseAsync(StageSeed.Function, "live", v2);

        Assert.Equal(1, transport.Injected);
        Assert.Equal(2, transport.Seen.Count(line => line.StartsWith("PUT") && line.EndsWith("/code")));
        Assert.Contains(retries, line => line.Contains("409 ResourceConflictException"));
        Assert.Equal(v2.Base64Sha256, release.CodeSha256);
        Assert.Equal(release.LambdaVersion, (await lambda.GetAliasAsync(StageSeed.Function, "live"))?.FunctionVersion);
    }

    [Fact]
    public async Task A_412_on_publish_re_reads_the_function_and_stops_before_the_alias_moves()
    {
        var v1 = await _stage.PublishArtifactAsync("1.0.0");
        var v2 = await _stage.PublishArtifactAsync("2.0.0");
        await _stage.CreateFunctionAsync(v1);
        var transport = new FaultInjectingHandler(r => r.Method == HttpMethod.Post && r.RequestUri!.AbsolutePath.EndsWith("/versions"),
            HttpStatusCode.PreconditionFailed, "PreconditionFailedException");
        using var lambda = _stage.Lambda(transport);

        var error = await Assert.ThrowsAsync<LambdaPreconditionFailedException>(() =>
            StageSeed.Releaser(lambda).ReleaseAsync(StageSeed.Function, "live", v2));

        Assert.StartsWith($"PublishVersion refused for {StageSeed.Function}: it changed after it was read", error.Message);
        Assert.Equal(v2.Base64Sha256, error.Current?.CodeSha256);
        Assert.Equal("GET /2015-03-31/functions/depoxy-dev-api/configuration", transport.Seen[transport.Seen.IndexOf("POST /2015-03-31/functions/depoxy-dev-api/versions") + 1]);
        Assert.Null(await lambda.GetAliasAsync(StageSeed.Function, "live"));
    }

    [Fact]
    public async Task A_failed_smoke_test_moves_the_alias_back_and_is_recorded()
    {
        var v1 = await _stage.PublishArtifactAsync("1.0.0");
        var v2 = await _stage.PublishArtifactAsync("2.0.0");
        await _stage.CreateFunctionAsync(v1);
        using var lambda = _stage.Lambda();
        var releaser = StageSeed.Releaser(lambda);
        var ledger = new ReleaseLedger(_stage.S3, StageSeed.Bucket, "dev");
        var good = await releaser.ReleaseAsync(StageSeed.Function, "live", v1);
        await ledger.RecordAsync(ReleaseRecord.ForThisRun("dev", "1.0.0", ReleaseOutcome.Succeeded) with { LambdaVersion = good.LambdaVersion });

        var bad = await releaser.ReleaseAsync(StageSeed.Function, "live", v2);
        using var publicSite = new HttpClient(new StubHealthEndpoint((HttpStatusCode.OK, StubHealthEndpoint.Health("1.0.0"))));
        var smoke = await new SmokeTest(publicSite, new SmokeTestOptions { Attempts = 3, Sleep = StageSeed.NoWait })
            .RunAsync(new Uri("https://dev.depoxy.example"), "2.0.0");
        Assert.False(smoke.Passed);
        var restored = await releaser.RestoreAsync(bad);
        await ledger.RecordAsync(ReleaseRecord.ForThisRun("dev", "2.0.0", ReleaseOutcome.RolledBack) with
        {
            LambdaVersion = bad.LambdaVersion,
            Reason = "smoke test: " + smoke.Detail,
        });

        Assert.True(restored);
        Assert.Equal(good.LambdaVersion, (await lambda.GetAliasAsync(StageSeed.Function, "live"))?.FunctionVersion);
        Assert.Equal("1.0.0", (await ledger.GetCurrentAsync())?.Version);
        var latest = (await ledger.GetHistoryAsync())[0];
        Assert.Equal((ReleaseOutcome.RolledBack, "2.0.0"), (latest.Outcome, latest.Version));
        Assert.Contains("expected version 2.0.0", latest.Reason);
    }

    [Fact]
    public async Task Restoring_a_release_that_created_the_alias_reports_there_is_nothing_to_restore()
    {
        var v1 = await _stage.PublishArtifactAsync("1.0.0");
        await _stage.CreateFunctionAsync(v1);
        using var lambda = _stage.Lambda();
        var releaser = StageSeed.Releaser(lambda);
        var release = await releaser.ReleaseAsync(StageSeed.Function, "live", v1);

        Assert.False(await releaser.RestoreAsync(release));
        Assert.Equal(release.LambdaVersion, (await lambda.GetAliasAsync(StageSeed.Function, "live"))?.FunctionVersion);
    }
}
