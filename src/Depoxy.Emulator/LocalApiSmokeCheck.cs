using Amazon.S3;
using Depoxy.Aws;
using Depoxy.Aws.Lambda;
using Depoxy.Deploy;
using Depoxy.Deploy.Flows;
using Depoxy.Packaging;
using Depoxy.Packaging.Publishing;

namespace Depoxy.Emulator;

/// <summary>
/// The emulator's smoke test: no API Gateway or CloudFront answers offline, so it runs the release's own api.zip
/// from the stage's bucket (hash-checked) as Lambda would: the handler and environment of the version the alias now
/// points at, as Terraform configured it, with AWS calls going to the emulator. It asks it /api/v1/health.
/// </summary>
public sealed class LocalApiSmokeCheck(IAmazonS3 s3, ILambdaClient lambda, EmulatorServer server, SmokeTest smoke) : ISmokeCheck
{
    public async Task<SmokeTestResult> RunAsync(StageTarget stage, ReleaseManifest manifest, CancellationToken cancellationToken = default)
    {
        var api = manifest.Api ?? throw new DeployException($"release {manifest.Version} has no api artifact");
        var function = await lambda.GetFunctionConfigurationAsync(stage.Api.FunctionName, stage.Api.AliasName, cancellationToken);
        var environment = function.Environment?.Variables ?? new Dictionary<string, string>();
        await new EmulatorOperator(server.Aws).EnsureStageSecretsAsync(environment, cancellationToken);

        var zip = Path.Combine(Directory.CreateTempSubdirectory("depoxy-smoke-").FullName, "api.zip");
        try
        {
            await new ArtifactStore(s3).DownloadVerifiedAsync(stage.ArtifactsBucket, api, zip, cancellationToken);
            var processEnvironment = environment.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))
                .Concat(server.Aws.ChildProcessVariables)
                .ToDictionary(p => p.Key, p => p.Value);
            await using var stream = File.OpenRead(zip);
            await using var host = await LocalApiHost.StartAsync(stream, function.Handler ?? "bootstrap", processEnvironment, cancellationToken);
            return await smoke.RunAsync(host.BaseAddress, manifest.Version, cancellationToken);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(zip)!, recursive: true);
        }
    }
}
