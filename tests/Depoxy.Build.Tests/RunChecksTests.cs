using Depoxy.Build.Engine;

namespace Depoxy.Build.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CapturedLogCollection
{
    public const string Name = "the build's log, captured";
}

/// <summary>
/// The real build's refusals before its first target (so before the stage lock, any package and any upload): each
/// run here would take the lock and touch AWS next, so the message proves where it stopped.
/// </summary>
[Collection(CapturedLogCollection.Name)]
public sealed class RunChecksTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("depoxy-run-checks-").FullName;
    private readonly Dictionary<string, string> _environment = [];

    public RunChecksTests() => Directory.CreateDirectory(Path.Combine(_root, ".nuke"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var original = Log.Out;
        Log.Out = output;
        try
        {
            var exitCode = await new BuildRunner(_root, _environment).RunAsync(new global::Build(), [.. args, "--root", _root, "--no-logo"], "Compile");
            return (exitCode, output.ToString());
        }
        finally
        {
            Log.Out = original;
        }
    }

    private static void AssertRefusedBeforeAnyTarget((int ExitCode, string Output) run, int exitCode, string message)
    {
        Assert.True(run.ExitCode == exitCode, $"exit {run.ExitCode}, expected {exitCode}:\n{run.Output}");
        Assert.Contains(message, run.Output);
        Assert.DoesNotContain("Guard", run.Output);
    }

    [Theory]
    [InlineData("--stack", "nope", "--stack nope is not a stack: use one of api, www, app, or omit --stack for all three")]
    [InlineData("--version", "../../etc", "--version '../../etc' is not valid: use letters, digits, '.', '_' and '-' only (at most 64, starting with a letter or digit).")]
    [InlineData("--version", "", "--version is empty: give a version such as 20260101.120000-gabc1234, or leave --version out to derive it from the git commit")]
    public async Task A_bad_value_is_refused_when_the_arguments_are_parsed_with_exit_2(string option, string value, string message) =>
        AssertRefusedBeforeAnyTarget(await RunAsync("Deploy", "--stage", "dev", option, value), 2, message);

    [Fact]
    public async Task A_stack_filter_that_no_target_of_the_run_honours_is_refused_not_ignored()
    {
        var run = await RunAsync("Deploy", "--stage", "dev", "--stack", "api", "--skip");

        AssertRefusedBeforeAnyTarget(run, 2, "--stack api: no Plan or Apply runs here, and Deploy acts on the whole stage: drop --stack " +
                                             "(or drop --skip, so that Plan and Apply run for that stack only)");
    }

    [Theory]
    [InlineData("Publish", "Package")]
    [InlineData("Package", "Package")]
    [InlineData("Deploy", "Package")]
    public async Task Building_or_uploading_artifacts_for_prod_is_refused_naming_Promote(string target, string writer)
    {
        var run = await RunAsync(target, "--stage", "prod");

        AssertRefusedBeforeAnyTarget(run, 2, $"{target} --stage prod would run {writer}, but prod's artifacts arrive only by Promote, copied verified from dev: " +
                                             "run ./build.sh Promote --from dev --to prod");
    }

    [Fact]
    public async Task Prod_taken_only_from_the_environment_outside_CI_is_refused_and_the_first_line_says_where_the_stage_came_from()
    {
        _environment["STAGE"] = "prod";

        var run = await RunAsync("Rollback");

        AssertRefusedBeforeAnyTarget(run, 2, "refusing to act on prod only because environment variable STAGE says so (outside CI): give --stage prod");
        Assert.StartsWith("Stage: prod (from environment variable STAGE)", run.Output);
    }

    [Fact]
    public async Task Prod_from_the_environment_on_CI_passes_the_check_and_says_where_it_came_from()
    {
        _environment["STAGE"] = "prod";
        _environment["GITHUB_ACTIONS"] = "true";

        var run = await RunAsync("Rollback");

        Assert.StartsWith("Stage: prod (from environment variable STAGE)", run.Output);
        Assert.DoesNotContain("give --stage prod", run.Output);
    }

    [Fact]
    public async Task The_first_line_names_the_stage_and_the_option_it_came_from()
    {
        var run = await RunAsync("Clean", "--stage", "dev");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("Stage: dev (from --stage)", run.Output);
    }

    [Fact]
    public async Task An_empty_site_folder_is_named_before_the_lock()
    {
        Directory.CreateDirectory(Path.Combine(_root, "www", "assets"));

        var run = await RunAsync("Deploy", "--stage", "dev");

        AssertRefusedBeforeAnyTarget(run, 1, "www/ has no files: put the site back (git checkout -- www), or delete the www/ folder to release no www site");
    }
}
