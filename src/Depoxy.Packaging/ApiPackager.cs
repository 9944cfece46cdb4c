using Depoxy.Build.Engine;
using Depoxy.Packaging.Zip;

namespace Depoxy.Packaging;

/// <summary>
/// Publishes the API as portable IL (the Lambda runs it on the managed dotnet10 runtime, arm64) and zips the output
/// with the Lambda handler script executable.
/// </summary>
public sealed class ApiPackager(string repositoryRoot, string project = ApiPackager.DefaultProject, string handlerScript = ApiPackager.DefaultHandlerScript)
{
    public const string DefaultProject = "api/Depoxy.Api/Depoxy.Api.csproj";
    public const string DefaultHandlerScript = "run.sh";

    /// <summary>
    /// Settings that make the publish output depend on the sources only: no build-machine paths (CI build maps
    /// source roots to /_/), no commit in the informational version, no pdbs, no apphost, no IIS web.config.
    /// </summary>
    public static readonly IReadOnlyList<string> ReproducibleProperties =
    [
        "-p:UseAppHost=false",
        "-p:ContinuousIntegrationBuild=true",
        "-p:Deterministic=true",
        "-p:IncludeSourceRevisionInInformationalVersion=false",
        "-p:DebugType=none",
        "-p:DebugSymbols=false",
        "-p:GenerateDocumentationFile=false",
        "-p:SatelliteResourceLanguages=en",
        "-p:IsWebConfigTransformDisabled=true",
    ];

    public string PublishDirectory => Path.Combine(repositoryRoot, "artifacts", "publish", "api");

    /// <summary>Publishes into artifacts/publish/api (emptied first, so no stale file reaches the zip) and returns it.</summary>
    public async Task<string> PublishAsync(CancellationToken cancellationToken = default)
    {
        var projectPath = Path.Combine(repositoryRoot, project);
        if (!File.Exists(projectPath)) throw new PackagingException($"{project} not found under {repositoryRoot}: the API project must be there.");
        if (Directory.Exists(PublishDirectory)) Directory.Delete(PublishDirectory, recursive: true);
        // A separate artifacts path keeps this Release build's obj/bin apart from the developers' own builds.
        string[] arguments =
        [
            "publish", projectPath, "-c", "Release", "-o", PublishDirectory,
            "--artifacts-path", Path.Combine(repositoryRoot, "artifacts", "dotnet"),
            "-nologo", "-v:m", .. ReproducibleProperties,
        ];
        await Tool.RunAsync("dotnet", arguments, repositoryRoot, new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" },
            cancellationToken: cancellationToken);
        return PublishDirectory;
    }

    /// <summary>Zips a publish folder; the handler script must be at its root.</summary>
    public string Zip(string publishDirectory, string zipPath)
    {
        if (!File.Exists(Path.Combine(publishDirectory, handlerScript)))
            throw new PackagingException($"{handlerScript} is missing from the publish output of {project}: the API project must copy its Lambda handler script to the publish root (CopyToPublishDirectory).");
        var inputs = FolderFiles.Collect(publishDirectory, FileModes.WithExecutables(handlerScript), entry => !entry.EndsWith(".pdb", StringComparison.Ordinal));
        DeterministicZip.CreateFile(zipPath, inputs);
        return FileDigest.WriteHashFile(zipPath);
    }
}
