using Amazon.S3.Model;
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
        var releaser = _stage.Releaser(lambda);

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
    public async Task Releasing_what_live_already_runs_publishes_no_version_and_is_unchanged()
    {
        var v1 = await _stage.PublishArtifactAsync("1.0.0");
        await _stage.CreateFunctionAsync(v1);
        using var lambda = _stage.Lambda();
        var releaser = _stage.Releaser(lambda);
        var first = await releaser.ReleaseAsync(StageSeed.Function, "live", v1, "1.0.0");

        var again = await releaser.ReleaseAsync(StageSeed.Function, "live", v1, "1.0.0");

        Assert.False(first.Unchanged);
        Assert.True(again.Unchanged);
        Assert.Equal(first.LambdaVersion, again.LambdaVersion);
        Assert.Equal(first.LambdaVersion, (await lambda.GetAliasAsync(StageSeed.Function, "live"))?.FunctionVersion);
    }

    [Fact]
    public async Task Code_Terraform_already_deployed_is_not_uploaded_again()
    {
        var v1 = await _stage.PublishArtifactAsync("1.0.0");
        await _stage.CreateFunctionAsync(v1);
        var transport = FaultInjectingHandler.Recording();
        using var lambda = _stage.Lambda(transport);

        var release = await _stage.Releaser(lambda).ReleaseAsync(StageSeed.Function, "live", v1);

        Assert.False(release.CodeUpdated);
        Assert.DoesNotContain(transport.Seen, line => line.StartsWith("PUT") && line.EndsWith("/code"));
        Assert.Equal(v1.Base64Sha256, release.CodeSha256);
    }

    [Fact]
    public async Task Tampered_bytes_in_the_bucket_are_refused_before_any_Lambda_call()
    {
        var v1 = await _stage.PublishArtifactAsync("1.0.0");
        var v2 = await _stage.PublishArtifactAsync("2.0.0");
        await _stage.CreateFunctionAsync(v1);
        var tamperedZip = MotoLambdaSeed.Zip(("run.sh", "#!/bin/sh\necho tampered\n"));
        await _stage.S3.PutObjectAsync(new PutObjectRequest { BucketName = StageSeed.Bucket, Key = v2.Key, InputStream = new MemoryStream(tamperedZip) });
        var transport = FaultInjectingHandler.Recording();
        using var lambda = _stage.Lambda(transport);

        var error = await Assert.ThrowsAsync<HashMismatchException>(() => _stage.Releaser(lambda).ReleaseAsync(StageSeed.Function, "live", v2));

        Assert.Equal(
            $"hash mismatch: {v2} hashes to {MotoLambdaSeed.Base64Sha256(tamperedZip)} but the release expects {v2.Base64Sha256}; the object was altered " +
            "after publishing, so no Lambda call was made and dev runs what it ran: publish the release again under a new version", error.Message);
        Assert.Empty(transport.Seen);
        Assert.Equal(v1.Base64Sha256, (await lambda.GetFunctionConfigurationAsync(StageSeed.Function)).CodeSha256);
        Assert.Equal(["$LATEST"], await lambda.ListVersionsByFunctionAsync(StageSeed.Function).Select(v => v.Version).ToListAsync());
        Assert.Null(await lambda.GetAliasAsync(StageSeed.Function, "live"));
    }

    [Fact]
    public async Task A_missing_base64sha256_object_is_refused_before_any_Lambda_call()
    {
        var v1 = await _stage.PublishArtifactAsync("1.0.0");
        var v2 = await _stage.PublishArtifactAsync("2.0.0");
        await _stage.CreateFunctionAsync(v1);
        await _stage.S3.DeleteObjectAsync(StageSeed.Bucket, v2.Key + ".base64sha256");
        var transport = FaultInjectingHandler.Recording();
        using var lambda = _stage.Lambda(transport);

        var error = await Assert.ThrowsAsync<HashMismatchException>(() => _stage.Releaser(lambda).ReleaseAsync(StageSeed.Function, "live", v2));

        Assert.Equal($"s3://{StageSeed.Bucket}/{v2.Key}.base64sha256 is missing, so no Lambda call was made and dev runs what it ran: " +
                     "Terraform reads the code hash from it: publish the release again from its commit (./build.sh Publish --stage dev), which uploads only what is missing",
            error.Message);
        Assert.Empty(transport.Seen);
        Assert.Equal(v1.Base64Sha256, (await lambda.GetFunctionConfigurationAsync(StageSeed.Function)).CodeSha256);
    }

    [Fact]
    public async Task A_function_that_does_not_exist_is_named_with_the_stage_and_the_fix()
    {
        var v1 = await _stage.PublishArtifactAsync("1.0.0");
        await _stage.CreateFunctionAsync(v1);
        var transport = FaultInjectingHandler.Lambda(r => r.Method == HttpMethod.Get && r.RequestUri!.AbsolutePath.EndsWith("/functions/" + StageSeed.Function),
            HttpStatusCode.NotFound, "ResourceNotFoundException");
        using var lambda = _stage.Lambda(transport);

        var error = await Assert.ThrowsAsync<LambdaReleaseException>(() => _stage.Releaser(lambda).ReleaseAsync(StageSeed.Function, "live", v1));

        Assert.Equal($"dev: could not read Lambda {StageSeed.Function} (404 ResourceNotFoundException: ResourceNotFoundException (injected by the test)): " +
                     "the function does not exist; apply dev's api stack (./build.sh Deploy --stage dev) or check the function name in its outputs", error.Message);
        Assert.Equal(1, transport.Injected);
    }

    [Fact]
    public async Task Moving_the_alias_to_a_version_that_no_longer_exists_names_the_version_the_stage_and_the_fix()
    {
        var v1 = await _stage.PublishArtifactAsync("1.0.0");
        await _stage.CreateFunctionAsync(v1);
        using var lambda = _stage.Lambda();
        var releaser = _stage.Releaser(lambda);
        var release = await releaser.ReleaseAsync(StageSeed.Function, "live", v1);

        var error = await Assert.ThrowsAsync<LambdaReleaseException>(() => releaser.MoveAliasAsync(StageSeed.Function, "live", "4"));

        Assert.StartsWith($"dev: could not move alias live to version 4 of Lambda {StageSeed.Function} (404 ResourceNotFoundException: ", error.Message);
        Assert.EndsWith("): Lambda version 4 no longer exists or the function is gone; pick a release whose version exists from " +
                        "./build.sh Releases --stage dev and pass it as --version", error.Message);
        Assert.Equal(release.LambdaVersion, (await lambda.GetAliasAsync(StageSeed.Function, "live"))?.FunctionVersion);
    }

    [Fact]
    public async Task A_409_during_the_code_update_is_waited_out()
    {
        var v1 = await _stage.PublishArtifactAsync("1.0.0");
        var v2 = await _stage.PublishArtifactAsync("2.0.0");
        await _stage.CreateFunctionAsync(v1);
        var retries = new List<string>();
        var transport = FaultInjectingHandler.Lambda(r => r.Method == HttpMethod.Put && r.RequestUri!.AbsolutePath.EndsWith("/code"),
            HttpStatusCode.Conflict, "ResourceConflictException");
        using var lambda = _stage.Lambda(transport, retries.Add);

        var release = await _stage.Releaser(lambda).ReleaseAsync(StageSeed.Function, "live", v2);

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
        var transport = FaultInjectingHandler.Lambda(r => r.Method == HttpMethod.Post && r.RequestUri!.AbsolutePath.EndsWith("/versions"),
            HttpStatusCode.PreconditionFailed, "PreconditionFailedException");
        using var lambda = _stage.Lambda(transport);

        var error = await Assert.ThrowsAsync<LambdaPreconditionFailedException>(() =>
            _stage.Releaser(lambda).ReleaseAsync(StageSeed.Function, "live", v2));

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
        var releaser = _stage.Releaser(lambda);
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
        var releaser = _stage.Releaser(lambda);
        var release = await releaser.ReleaseAsync(StageSeed.Function, "live", v1);

        Assert.False(await releaser.RestoreAsync(release));
        Assert.Equal(release.LambdaVersion, (await lambda.GetAliasAsync(StageSeed.Function, "live"))?.FunctionVersion);
    }
}
