using Depoxy.Build.Engine;
using Depoxy.Packaging;
using Depoxy.Packaging.Publishing;

partial class Build
{
    /// <summary>What Package built in this run (also in artifacts/manifest.json).</summary>
    ReleaseManifest? PackagedRelease;

    /// <summary>What Publish uploaded in this run; a publish of an already published version reports 0 bytes.</summary>
    PublishReport? PublishedRelease;

    bool? _releaseAlreadyPublished;

    /// <summary>A Deploy of a version whose manifest is already in the stage's bucket ships those bytes and builds nothing.</summary>
    bool ReleaseAlreadyPublished => _releaseAlreadyPublished ??=
        InvokedTargets.Any(t => t.Name == nameof(Deploy)) && ArtifactsBucket is not null &&
        Pipeline.IsPublishedAsync(ArtifactsBucket, ShippedVersion).GetAwaiter().GetResult();

    Target Package => _ => _
        .Description("Builds artifacts/: reproducible api.zip + .base64sha256, module and site zips, manifest.json (version from git unless --version)")
        .OnlyWhenDynamic(() => !ReleaseAlreadyPublished, "release already published: build once, deploy many")
        .Executes(async () => PackagedRelease = await PackagingFlow.PackageAsync(RootDirectory, ShippedVersion, AllowDirty));

    Target Publish => _ => _
        .Description("Uploads the packaged release to the stage's artifacts bucket, immutably: same bytes are skipped, other bytes refused")
        .DependsOn(Package)
        .Requires(() => ArtifactsBucket)
        .OnlyWhenDynamic(() => !ReleaseAlreadyPublished, "release already published")
        .Executes(async () => PublishedRelease = await Pipeline.PublishAsync(ArtifactsBucket!));

    Target PublishModules => _ => _
        .Description("Uploads each modules/<name> zip at its VERSION to the modules bucket, refusing changed modules without a VERSION bump")
        .DependsOn(Package)
        .Requires(() => ModulesBucket)
        .OnlyWhenDynamic(() => !ReleaseAlreadyPublished, "published with the release")
        .Executes(async () => await Pipeline.PublishModulesAsync(ModulesBucket!));

    Target CheckModuleVersions => _ => _
        .Description("Fails naming each module whose files changed while its VERSION did not (runs before Plan when --modules-bucket is set)")
        .DependentFor(Plan)
        .OnlyWhenStatic(() => ModulesBucket is not null)
        .Executes(async () => await Pipeline.CheckModuleVersionsAsync(ModulesBucket!));
}
