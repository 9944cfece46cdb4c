using Depoxy.Deploy;
using Depoxy.Packaging;
using Depoxy.Pipeline.Tests.Support;
using Depoxy.Testing;

namespace Depoxy.Pipeline.Tests;

/// <summary>The fix a refusal names is run as told, and the next run succeeds.</summary>
[Collection(PipelineMotoCollection.Name)]
public sealed class SuggestedFixTests(MotoServer moto)
{
    private const string V1 = "20260101.100000-gaaaaaaa";
    private const string V2 = "20260102.100000-gbbbbbbb";

    [Fact]
    public async Task A_missing_hash_file_is_put_back_by_publishing_the_release_again_and_the_next_deploy_succeeds()
    {
        await using var world = await DeployWorld.CreateAsync(moto);
        await world.PublishAsync(V1);
        await world.DeployDevAsync(V1, world.Flow(new SmokeCheckStandIn()));
        var release = await world.PublishAsync(V2);
        await world.S3.DeleteObjectAsync(DeployWorld.DevBucket, release.Api.Key + ".base64sha256");
        var checkout = Directory.CreateTempSubdirectory("depoxy-republish-").FullName;
        try
        {
            var refused = await Assert.ThrowsAsync<HashMismatchException>(() => world.DeployDevAsync(V2, world.Flow(new SmokeCheckStandIn())));
            Assert.EndsWith("Terraform reads the code hash from it: publish the release again from its commit (./build.sh Publish --stage dev), which uploads only what is missing",
                refused.Message);

            // ./build.sh Publish --stage dev at the release's commit: Package rebuilds the same bytes into artifacts/, Publish uploads.
            CopyFolder(release.Directory, Path.Combine(checkout, "artifacts"));
            var report = await PackagingFlow.PublishAsync(checkout, DeployWorld.DevBucket, world.Aws);
            var next = await world.DeployDevAsync(V2, world.Flow(new SmokeCheckStandIn()));

            Assert.NotNull(report);
            Assert.Equal(new FileInfo(Path.Combine(release.Directory, "api.zip.base64sha256")).Length, report.BytesUploaded);
            Assert.Equal(ReleaseOutcome.Succeeded, next.Record.Outcome);
            Assert.Equal(V2, (await world.Ledger("dev").GetCurrentAsync())?.Version);
        }
        finally
        {
            Directory.Delete(checkout, recursive: true);
        }
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
