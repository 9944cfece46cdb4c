using Depoxy.Build.Engine;

partial class Build
{
    [Parameter("Folder of API builds kept by input hash, which Package reuses instead of compiling (default .nuke/temp/api-builds); several clones may share one")]
    readonly string? ApiBuildCache;

    Target Package => _ => _
        .Description("Builds artifacts/: reproducible api.zip + .base64sha256 (reused from an earlier build with the same API inputs), module and site zips, manifest.json (version from git unless --version); a Deploy of a published version reuses its manifest")
        .OnlyWhenStatic(() => !IsInvoked(nameof(ApplyDeploy)), "ApplyDeploy ships what its plan job packaged into artifacts/")
        .Executes(async () => await Pipeline.PackageAsync(Version, AllowDirty, IsInvoked(nameof(Deploy)) || IsInvoked(nameof(PlanDeploy)) ? ArtifactsBucket : null, ApiBuildCache));

    Target Publish => _ => _
        .Description("Uploads the packaged release to the stage's artifacts bucket, immutably: same bytes are skipped, other bytes refused")
        .DependsOn(Package)
        .After(PublishModules)
        .Requires(() => ArtifactsBucket)
        .Executes(async () => await Pipeline.PublishAsync(ArtifactsBucket!));

    Target PublishModules => _ => _
        .Description("Uploads each modules/<name> zip at its VERSION to the modules bucket, refusing changed modules without a VERSION bump (before anything of the release is uploaded)")
        .DependsOn(Package)
        .Requires(() => ModulesBucket, () => ArtifactsBucket)
        .Executes(async () => await Pipeline.PublishModulesAsync(ModulesBucket!, ArtifactsBucket!));

    Target CheckModuleVersions => _ => _
        .Description("Fails naming each module whose files changed while its VERSION did not (runs before Plan when --modules-bucket is set)")
        .DependentFor(Plan)
        .OnlyWhenStatic(() => ModulesBucket is not null)
        .Executes(async () => await Pipeline.CheckModuleVersionsAsync(ModulesBucket!));

    bool IsInvoked(string target) => InvokedTargets.Any(t => t.Name == target);
}
