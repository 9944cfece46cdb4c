using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.S3;
using Depoxy.Aws;
using Depoxy.Build.Engine;
using Depoxy.Terraform;

namespace Depoxy.Emulator;


/// <summary>
/// The emulator set up as a new AWS account is, by its administrator: tf/ci applied first with local state, then its
/// state moved into the bucket it created (tf/README, "First apply of tf/ci"). Plus the one stand-in the stacks need
/// from outside: the Lambda Web Adapter layer is AWS's, so moto holds none; a stand-in layer of that name is
/// published once and its ARN passed to the api stack.
/// </summary>
public sealed class EmulatorAccount(EmulatorServer server, TerraformCli terraform, string root, string? workDirectory = null, string repository = EmulatorAccount.GitHubRepository)
{
    public const string WebAdapterLayerName = "LambdaAdapterLayerX86";
    public const string CiStateKey = "ci/terraform.tfstate";
    public const string GitHubRepository = "emulator/depoxy";

    private string WorkDirectory => workDirectory ?? Path.Combine(root, ".nuke", "temp", "emulator", "bootstrap");

    private string CiDirectory => Path.Combine(WorkDirectory, "tf", "ci");

    /// <summary>
    /// Applies tf/ci unless the emulator's state bucket already holds its state. With its defaults, as the first apply
    /// in tf/README: the bucket names in .nuke/parameters*.json must be the ones tf/ci creates, or nothing below works.
    /// </summary>
    public async Task EnsureBootstrappedAsync(string stateBucket, CancellationToken cancellationToken = default)
    {
        using var s3 = S3ClientFactory.Create(server.Aws);
        if (await HoldsObjectAsync(s3, stateBucket, CiStateKey, cancellationToken)) return;

        Log.Always("Emulator: bootstrapping the account as an administrator would (tf/README): apply tf/ci with local state, then move it into " + stateBucket);
        if (Directory.Exists(WorkDirectory)) Directory.Delete(WorkDirectory, recursive: true);
        // tf/ci takes its modules from ../../modules, so the copy keeps that layout.
        StackWorkspace.CopyModules(Path.Combine(root, "modules"), Path.Combine(WorkDirectory, "modules"));
        var ci = StackWorkspace.Prepare(Path.Combine(root, "tf", "ci"), CiDirectory, modules: null);
        var localBackend = Path.Combine(ci, "backend_override.tf");
        await File.WriteAllTextAsync(localBackend, "terraform {\n  backend \"local\" {}\n}\n", cancellationToken);

        await terraform.RunAsync(ci, ["init", "-input=false", "-no-color"], echoOutput: false, cancellationToken);
        // Planned quietly (its diff is 3,000 lines), then applied with terraform's progress lines streamed.
        await terraform.RunAsync(ci, ["plan", "-input=false", "-no-color", "-out=bootstrap.tfplan", $"-var=github-repository={repository}"], echoOutput: false, cancellationToken);
        await terraform.RunAsync(ci, ["apply", "-input=false", "-no-color", "bootstrap.tfplan"], echoOutput: true, cancellationToken, echoPrefix: "tf/ci");
        File.Delete(localBackend);
        await terraform.RunAsync(ci,
            ["init", "-input=false", "-no-color", "-migrate-state", "-force-copy",
                $"-backend-config=bucket={stateBucket}", $"-backend-config=key={CiStateKey}",
                $"-backend-config=region={EmulatorServer.Region}", "-backend-config=use_lockfile=true"],
            echoOutput: false, cancellationToken);
        if (!await HoldsObjectAsync(s3, stateBucket, CiStateKey, cancellationToken))
            throw new BuildException($"tf/ci was applied in the emulator but its state is not in s3://{stateBucket}/{CiStateKey}: the state bucket tf/ci creates is not '{stateBucket}' (.nuke/parameters.json); make them the same, then ./build.sh EmulatorStop and try again");
        Log.Always($"Emulator: tf/ci applied, state in s3://{stateBucket}/{CiStateKey}");
    }

    /// <summary>tf/ci's outputs (<c>terraform output -json</c>): output name → value, for the values that are strings.</summary>
    public async Task<IReadOnlyDictionary<string, string>> CiOutputsAsync(CancellationToken cancellationToken = default)
    {
        using var json = JsonDocument.Parse(await terraform.RunAsync(CiDirectory, ["output", "-json", "-no-color"], echoOutput: false, cancellationToken));
        return json.RootElement.EnumerateObject()
            .Where(o => o.Value.GetProperty("value").ValueKind == JsonValueKind.String)
            .ToDictionary(o => o.Name, o => o.Value.GetProperty("value").GetString()!);
    }

    /// <summary>The ARN of the stand-in Web Adapter layer, published on first use.</summary>
    public async Task<string> WebAdapterLayerArnAsync(CancellationToken cancellationToken = default)
    {
        using var lambda = SignedHttpClient.Create(server.Aws, "lambda", server.Endpoint);
        var path = $"/2018-10-31/layers/{WebAdapterLayerName}/versions";
        using (var existing = await lambda.GetAsync(path, cancellationToken))
        {
            if (existing.IsSuccessStatusCode)
            {
                var versions = JsonNode.Parse(await existing.Content.ReadAsStringAsync(cancellationToken))?["LayerVersions"]?.AsArray();
                if (versions?.FirstOrDefault()?["LayerVersionArn"]?.GetValue<string>() is { } arn) return arn;
            }
        }
        var publish = new JsonObject
        {
            ["Description"] = "Emulator stand-in for AWS's Lambda Web Adapter layer (moto holds no AWS-owned layers)",
            ["CompatibleRuntimes"] = new JsonArray("provided.al2023"),
            ["CompatibleArchitectures"] = new JsonArray("x86_64"),
            ["Content"] = new JsonObject { ["ZipFile"] = Convert.ToBase64String(StandInLayerZip()) },
        };
        using var content = new StringContent(publish.ToJsonString(), Encoding.UTF8, "application/json");
        using var published = await lambda.PostAsync(path, content, cancellationToken);
        await AwsResponse.EnsureSuccessAsync(published, "Lambda", cancellationToken);
        var layer = JsonNode.Parse(await published.Content.ReadAsStringAsync(cancellationToken))?["LayerVersionArn"]?.GetValue<string>()
                    ?? throw new BuildException("the emulator published the stand-in Web Adapter layer but returned no ARN: ./build.sh EmulatorStop and try again");
        Log.Info($"Emulator: stand-in Web Adapter layer {layer}");
        return layer;
    }

    private static byte[] StandInLayerZip()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create))
        {
            using var writer = new StreamWriter(zip.CreateEntry("README").Open());
            writer.Write("Depoxy emulator stand-in for the AWS Lambda Web Adapter layer. The emulator runs api.zip's bootstrap itself.\n");
        }
        return buffer.ToArray();
    }

    private static async Task<bool> HoldsObjectAsync(IAmazonS3 s3, string bucket, string key, CancellationToken cancellationToken)
    {
        try
        {
            await s3.GetObjectMetadataAsync(bucket, key, cancellationToken);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
