using Depoxy.Build.Engine;
using Depoxy.Packaging;
using Depoxy.Terraform;

/// <summary>What a run was asked to do, as the checks before its first target need it.</summary>
/// <param name="Running">The planned targets that are not skipped.</param>
/// <param name="StageSource">Where the stage came from: "--stage", "--to", "environment variable STAGE", a parameters file.</param>
sealed record RunRequest(string Root, string? Stage, string? StageSource, string? Version, string? Stack, bool RunsOnCi,
    IReadOnlyList<string> Invoked, IReadOnlyList<string> Running, bool Packages);

/// <summary>
/// Everything that can refuse a run before it takes the stage lock, packages or uploads: the command line's values
/// (exit 2), the stage and where it came from, and the site folders a package would zip.
/// </summary>
static class RunChecks
{
    /// <summary>The targets that honour --stack; every other target acts on the whole stage.</summary>
    private static readonly string[] StackTargets = ["Plan", "Apply"];

    /// <summary>The targets that build or upload a release's artifacts; prod gets its artifacts only by Promote's verified copy.</summary>
    private static readonly string[] ArtifactWriters = ["Package", "Publish"];

    public static void Ensure(RunRequest run)
    {
        if (run.Stage is { } stage)
        {
            Log.Always($"Stage: {stage} (from {run.StageSource ?? "the build's default"})");
            if (stage == "prod" && run.StageSource?.StartsWith("environment variable", StringComparison.Ordinal) == true && !run.RunsOnCi)
                throw new UsageException($"refusing to act on prod only because {run.StageSource} says so (outside CI): give --stage prod");
            if (stage == "prod" && run.Running.FirstOrDefault(ArtifactWriters.Contains) is { } writer)
                throw new UsageException(
                    $"{string.Join(", ", run.Invoked)} --stage prod would run {writer}, but prod's artifacts arrive only by Promote, copied verified from dev: " +
                    "run ./build.sh Promote --from dev --to prod");
        }
        if (run.Version is { } version)
        {
            if (version.Trim().Length == 0)
                throw new UsageException("--version is empty: give a version such as 20260101.120000-gabc1234, or leave --version out to derive it from the git commit");
            try
            {
                ReleaseVersion.Validate(version);
            }
            catch (PackagingException e)
            {
                throw new UsageException(e.Message);
            }
        }
        if (run.Stack is { } stack)
        {
            if (!TerraformStack.Names.Contains(stack))
                throw new UsageException($"--stack {stack} is not a stack: use one of {string.Join(", ", TerraformStack.Names)}, or omit --stack for all three");
            if (!run.Running.Any(StackTargets.Contains))
                throw new UsageException(
                    $"--stack {stack}: no Plan or Apply runs here, and {string.Join(", ", run.Invoked)} acts on the whole stage: drop --stack " +
                    "(or drop --skip, so that Plan and Apply run for that stack only)");
        }
        if (run.Packages) new SitePackager(run.Root).EnsureNotEmpty();
    }
}
