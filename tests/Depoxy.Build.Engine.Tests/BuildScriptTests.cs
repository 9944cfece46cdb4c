using System.Diagnostics;
using System.Text.RegularExpressions;
using Depoxy.Testing;

namespace Depoxy.Build.Engine.Tests;

/// <summary>
/// build.sh in a temporary copy of the repository's layout, with a stand-in for dotnet: the real compile takes
/// minutes, and what is tested is when build.sh decides to compile. The stand-in's "build" creates obj/ and bin/ in
/// every project folder, as the SDK does, and the output dll; "running" the dll prints its arguments.
/// </summary>
public sealed class BuildScriptTests : IDisposable
{
    private const string FakeDotnet = """
        #!/bin/sh
        case "$1" in
          --version) echo 10.0.100 ;;
          --list-sdks) echo "10.0.100 [/usr/share/dotnet/sdk]" ;;
          build)
            sleep "${FAKE_BUILD_SECONDS:-0}"
            if [ -n "$FAKE_BUILD_ERROR" ]; then echo "$FAKE_BUILD_ERROR"; exit 1; fi
            root=$(dirname "$(dirname "$2")")
            for project in "$root/build" "$root"/src/*; do mkdir -p "$project/obj" "$project/bin"; : > "$project/obj/project.assets.json"; done
            while [ "$#" -gt 0 ]; do [ "$1" = "-o" ] && out="$2"; shift; done
            mkdir -p "$out" && : > "$out/_build.dll"
            echo compiled >> "$root/compiles.log" ;;
          *) shift; echo "ran $*" ;;
        esac
        """;

    private readonly string _root = Directory.CreateTempSubdirectory("depoxy-buildsh-").FullName;

    public BuildScriptTests()
    {
        File.Copy(RepositoryRoot.Combine("build.sh"), Path.Combine(_root, "build.sh"));
        Write("global.json", """{ "sdk": { "version": "10.0.100" } }""");
        Write("Directory.Build.props", "<Project />");
        Write("Directory.Packages.props", "<Project />");
        Write("build/_build.csproj", "<Project />");
        Write("build/Build.cs", "class Build {}");
        Write("src/Depoxy.Engine/Engine.cs", "class Engine {}");
        Write("bin/dotnet", FakeDotnet);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path.Combine(_root, "bin/dotnet"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    [Fact]
    public void The_first_run_announces_the_compile_and_the_second_run_after_a_fresh_clone_does_not_compile()
    {
        var first = BuildSh("Compile");
        var second = BuildSh("Compile");

        Assert.Contains("build.sh: Compiling the build project (first run, 30 s–2 min)…", first.Error);
        Assert.Contains("ran Compile", first.Output);
        Assert.Equal("", second.Error);
        Assert.Contains("ran Compile", second.Output);
        Assert.Equal(1, Compiles());
    }

    [Fact]
    public void A_changed_source_recompiles_and_names_the_file()
    {
        BuildSh();
        File.AppendAllText(Path.Combine(_root, "src/Depoxy.Engine/Engine.cs"), "// edited");

        Assert.Contains("build.sh: Compiling the build project (src/Depoxy.Engine/Engine.cs changed)…", BuildSh().Error);
        Assert.Equal(2, Compiles());
    }

    [Fact]
    public void A_deleted_or_added_source_recompiles_though_no_file_is_newer()
    {
        BuildSh();
        Write("src/Depoxy.Engine/Extra.cs", "class Extra {}");
        File.SetLastWriteTimeUtc(Path.Combine(_root, "src/Depoxy.Engine/Extra.cs"), new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Assert.Contains("(files added or removed)", BuildSh().Error);

        File.Delete(Path.Combine(_root, "src/Depoxy.Engine/Extra.cs"));
        Assert.Contains("(files added or removed)", BuildSh().Error);
        Assert.Equal("", BuildSh().Error);
        Assert.Equal(3, Compiles());
    }

    [Fact]
    public void A_long_compile_says_every_interval_that_it_still_runs_with_the_elapsed_time_and_stops_when_it_ends()
    {
        var run = BuildShWith(new() { ["FAKE_BUILD_SECONDS"] = "3", ["BUILD_SH_PROGRESS_SECONDS"] = "1" }, expectedExitCode: 0, "Compile");

        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var ticks = lines.Where(l => Regex.IsMatch(l, @"^build\.sh: still compiling the build project \(\d+ s\)…$")).ToList();
        Assert.True(ticks.Count >= 2, $"expected a progress line a second during a 3 s compile, got: {run.Error}");
        Assert.Matches(@"^build\.sh: Compiled the build project in \d+ s$", lines[^1]);
        Assert.Contains("ran Compile", run.Output);
    }

    [Fact]
    public void A_compile_error_ends_the_output_with_the_error_and_exits_1_without_running_the_build()
    {
        var run = BuildShWith(new() { ["FAKE_BUILD_SECONDS"] = "2", ["BUILD_SH_PROGRESS_SECONDS"] = "1", ["FAKE_BUILD_ERROR"] = "Build.cs(1,7): error CS1002: ; expected" },
            expectedExitCode: 1, "Compile");

        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["Build.cs(1,7): error CS1002: ; expected", "build.sh: the build project does not compile (errors above, full log in .nuke/temp/build.log)"], lines[^2..]);
        Assert.Contains(lines, l => l.StartsWith("build.sh: still compiling the build project (", StringComparison.Ordinal));
        Assert.DoesNotContain("ran Compile", run.Output);
    }

    private int Compiles() => File.ReadAllLines(Path.Combine(_root, "compiles.log")).Length;

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private (string Output, string Error) BuildSh(params string[] args) => BuildShWith([], expectedExitCode: 0, args);

    /// <summary>Runs build.sh to its end: both pipes closed, so no process it left behind still holds them.</summary>
    private (string Output, string Error) BuildShWith(Dictionary<string, string> environment, int expectedExitCode, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _root };
        start.ArgumentList.Add(Path.Combine(_root, "build.sh"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["PATH"] = Path.Combine(_root, "bin") + ":" + Environment.GetEnvironmentVariable("PATH");
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        Assert.True(Task.WaitAll([output, error], TimeSpan.FromSeconds(30)), "build.sh exited, but something it started still holds its output open");
        Assert.True(process.ExitCode == expectedExitCode, $"build.sh exited with {process.ExitCode}, not {expectedExitCode}: {error.Result}");
        return (output.Result, error.Result);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
