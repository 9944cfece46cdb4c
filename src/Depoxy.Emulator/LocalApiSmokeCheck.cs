using Amazon.S3;
using Depoxy.Deploy;
using Depoxy.Deploy.Flows;
using Depoxy.Packaging;
using Depoxy.Packaging.Publishing;

namespace Depoxy.Emulator;

/// <summary>
/// The emulator's smoke test: no API Gateway or CloudFront answers offline, so it runs the release's own api.zip
/// from the stage's bucket (hash-checked) with the stage's environment, and asks it /api/v1/health.
/// </summary>
public sealed class LocalApiSmokeCheck(IAmazonS3 s3, EmulatorServer server, EmulatorSeeder seeder, SmokeTest smoke) : ISmokeCheck
{
    public async Task<SmokeTestResult> RunAsync(StageTarget stage, ReleaseManifest manifest, CancellationToken cancellationToken = default)
    {
        var api = manifest.Api ?? throw new DeployException($"release {manifest.Version} has no api artifact");
        var zip = Path.Combine(Directory.CreateTempSubdirectory("depoxy-smoke-").FullName, "api.zip");
        try
        {
            await new ArtifactStore(s3).DownloadVerifiedAsync(stage.ArtifactsBucket, api, zip, cancellationToken);
            var environment = seeder.ApiEnvironment(stage.Stage, manifest.Version).Concat(server.EnvironmentVariables)
                .ToDictionary(p => p.Key, p => p.Value);
            await using var stream = File.OpenRead(zip);
            await using var host = await LocalApiHost.StartAsync(stream, environment, cancellationToken);
            return await smoke.RunAsync(host.BaseAddress, manifest.Version, cancellationToken);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(zip)!, recursive: true);
        }
    }
}
