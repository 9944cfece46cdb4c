namespace Depoxy.Packaging.Tests;

public sealed class PublishProgressTests : IDisposable
{
    private readonly string _objectFile = Path.Combine(Directory.CreateTempSubdirectory("depoxy-progress-").FullName, "native", "Depoxy.Api.o");

    /// <summary>What dotnet publish -v:m of the API printed (artifacts/deploy log), line by line, with the phase each line starts.</summary>
    [Fact]
    public void The_phase_follows_dotnet_publish_output_from_restore_to_native_compile()
    {
        var progress = new PublishProgress(_objectFile);
        var phases = new List<string> { progress.Phase };
        foreach (var line in new[]
                 {
                     "  Determining projects to restore...",
                     "  Restored /work/main/api/Depoxy.Api/Depoxy.Api.csproj (in 628 ms).",
                     "  Depoxy.Aws.Runtime -> /work/main/artifacts/dotnet/bin/Depoxy.Aws.Runtime/release/Depoxy.Aws.Runtime.dll",
                     "  Depoxy.Api -> /work/main/artifacts/dotnet/bin/Depoxy.Api/release_linux-x64/Depoxy.Api.dll",
                     "  Generating native code",
                 })
        {
            progress.Observe(line);
            phases.Add(progress.Phase);
        }

        Assert.Equal(
            [PublishProgress.Restore, PublishProgress.Restore, PublishProgress.Compile, PublishProgress.Compile, PublishProgress.Compile, PublishProgress.NativeCompile],
            phases);
    }

    [Fact]
    public void An_up_to_date_restore_starts_the_compile_too()
    {
        var progress = new PublishProgress(_objectFile);
        progress.Observe("  All projects are up-to-date for restore.");
        Assert.Equal(PublishProgress.Compile, progress.Phase);
    }

    [Fact]
    public void Once_native_compile_has_written_its_object_file_the_heartbeat_says_link()
    {
        var progress = new PublishProgress(_objectFile);
        progress.Observe("  Generating native code");
        Assert.StartsWith("api: native compile (ILC)… ", progress.Heartbeat());

        Directory.CreateDirectory(Path.GetDirectoryName(_objectFile)!);
        File.WriteAllText(_objectFile, "object code");

        Assert.Matches(@"^api: link… \d+ s$", progress.Heartbeat());
    }

    [Fact]
    public void An_object_file_left_by_an_earlier_publish_is_not_taken_for_linking()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_objectFile)!);
        File.WriteAllText(_objectFile, "object code of an earlier publish");
        File.SetLastWriteTimeUtc(_objectFile, DateTime.UtcNow.AddHours(-1));
        var progress = new PublishProgress(_objectFile);
        progress.Observe("  Generating native code");

        Assert.StartsWith("api: native compile (ILC)… ", progress.Heartbeat());
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(_objectFile)!)!, recursive: true);
}
