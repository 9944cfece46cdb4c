using Depoxy.Build.Engine;
using Depoxy.Packaging.Zip;

namespace Depoxy.Packaging;

/// <summary>
/// Publishes the API as a self-contained Native AOT executable for Lambda's provided.al2023 runtime (x86_64) and zips
/// it as the function's handler, <see cref="Handler"/>: the Lambda Web Adapter layer starts it and forwards to Kestrel.
/// </summary>
public sealed class ApiPackager(string repositoryRoot, string project = ApiPackager.DefaultProject, Func<string, string?>? findOnPath = null)
{
    public const string DefaultProject = "api/Depoxy.Api/Depoxy.Api.csproj";

    /// <summary>The executable provided.al2023 runs (handler "bootstrap"), at the zip's root, mode 0755.</summary>
    public const string Handler = "bootstrap";

    /// <summary>x86_64, so the emulator's smoke test runs the very shipped bytes natively on x86-64 build machines.</summary>
    public const string RuntimeIdentifier = "linux-x64";

    /// <summary>
    /// Settings that make the publish output depend on the sources only: no build-machine paths (CI build maps
    /// source roots to /_/), no commit in the informational version, no debug information, no IIS web.config.
    /// </summary>
    public static readonly IReadOnlyList<string> ReproducibleProperties =
    [
        "-p:ContinuousIntegrationBuild=true",
        "-p:Deterministic=true",
        "-p:IncludeSourceRevisionInInformationalVersion=false",
        "-p:DebugType=none",
        "-p:DebugSymbols=false",
        "-p:StripSymbols=true",
        "-p:GenerateDocumentationFile=false",
        "-p:SatelliteResourceLanguages=en",
        "-p:IsWebConfigTransformDisabled=true",
    ];

    private readonly Func<string, string?> _findOnPath = findOnPath ?? Tool.FindOnPath;

    public string PublishDirectory => Path.Combine(repositoryRoot, "artifacts", "publish", "api");

    /// <summary>A separate artifacts path keeps this Release build's obj/bin apart from the developers' own builds.</summary>
    private string DotNetArtifactsDirectory => Path.Combine(repositoryRoot, "artifacts", "dotnet");

    /// <summary>The object file Native AOT compiles the API into before clang links it (the artifacts path's layout).</summary>
    private string ObjectFile =>
        Path.Combine(DotNetArtifactsDirectory, "obj", ExecutableName, $"release_{RuntimeIdentifier}", "native", ExecutableName + ".o");

    /// <summary>The executable dotnet publish writes, named like the project; packaging renames it to <see cref="Handler"/>.</summary>
    public string ExecutableName => Path.GetFileNameWithoutExtension(project);

    /// <summary>
    /// The C compiler and linker Native AOT links with: "clang" when it is on PATH (the SDK's default), else the
    /// newest versioned clang-N (Debian and Ubuntu install clang-14 without the plain name).
    /// </summary>
    public string NativeLinker()
    {
        if (_findOnPath("clang") is not null) return "clang";
        for (var version = 30; version >= 10; version--)
            if (_findOnPath($"clang-{version}") is not null) return $"clang-{version}";
        throw new PackagingException("no clang on PATH: Native AOT links the API with clang; install it (apt-get install clang) and run Package again.");
    }

    /// <summary>
    /// Publishes into artifacts/publish/api (emptied first, so no stale file reaches the zip), renames the executable
    /// to <see cref="Handler"/> and returns the folder.
    /// </summary>
    public async Task<string> PublishAsync(CancellationToken cancellationToken = default)
    {
        var projectPath = Path.Combine(repositoryRoot, project);
        if (!File.Exists(projectPath)) throw new PackagingException($"{project} not found under {repositoryRoot}: the API project must be there.");
        if (Directory.Exists(PublishDirectory)) Directory.Delete(PublishDirectory, recursive: true);
        string[] arguments =
        [
            "publish", projectPath, "-c", "Release", "-r", RuntimeIdentifier, "--self-contained", "-o", PublishDirectory,
            "--artifacts-path", DotNetArtifactsDirectory,
            "-nologo", "-v:m", .. ReproducibleProperties, $"-p:CppCompilerAndLinker={NativeLinker()}",
        ];
        var progress = new PublishProgress(ObjectFile);
        await using (progress.StartHeartbeat())
            await Tool.RunAsync("dotnet", arguments, repositoryRoot, new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" },
                cancellationToken: cancellationToken, observeLine: progress.Observe);
        var executable = Path.Combine(PublishDirectory, ExecutableName);
        if (!File.Exists(executable))
            throw new PackagingException($"dotnet publish of {project} wrote no {ExecutableName} executable: the project must publish Native AOT (PublishAot) for {RuntimeIdentifier}.");
        File.Move(executable, Path.Combine(PublishDirectory, Handler), overwrite: true);
        return PublishDirectory;
    }

    /// <summary>Zips a publish folder; the handler must be at its root. Symbols (.pdb, .dbg) stay out.</summary>
    public string Zip(string publishDirectory, string zipPath)
    {
        if (!File.Exists(Path.Combine(publishDirectory, Handler)))
            throw new PackagingException($"{Handler} is missing from the publish output of {project}: Package renames the Native AOT executable to {Handler}; publish through ApiPackager.PublishAsync.");
        var inputs = FolderFiles.Collect(publishDirectory, FileModes.WithExecutables(Handler),
            entry => !entry.EndsWith(".pdb", StringComparison.Ordinal) && !entry.EndsWith(".dbg", StringComparison.Ordinal));
        DeterministicZip.CreateFile(zipPath, inputs);
        return FileDigest.WriteHashFile(zipPath);
    }
}
