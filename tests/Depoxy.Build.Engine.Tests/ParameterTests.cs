using Depoxy.Build.Engine;

namespace Depoxy.Build.Engine.Tests;

[Collection("engine")]
public sealed class ParameterTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void Command_line_beats_environment_beats_parameters_json_beats_profiles()
    {
        _harness.WriteParameters(null, """{ "$schema": "./build.schema.json", "Stage": "from-json", "Count": 3 }""");
        _harness.WriteParameters("ci", """{ "Stage": "from-profile", "Count": 4, "Flavor": "Spicy" }""");
        _harness.Environment["STAGE"] = "from-env";

        var fromCommandLine = new SampleBuild();
        Assert.Equal(0, _harness.Run(fromCommandLine, "--stage", "from-cli", "--profile", "ci"));
        Assert.Equal("from-cli", fromCommandLine.Stage);

        var fromEnvironment = new SampleBuild();
        Assert.Equal(0, _harness.Run(fromEnvironment, "--profile", "ci"));
        Assert.Equal("from-env", fromEnvironment.Stage);
        Assert.Equal(3, fromEnvironment.Count);
        Assert.Equal(Flavor.Spicy, fromEnvironment.Flavor);

        _harness.Environment.Clear();
        var fromJson = new SampleBuild();
        Assert.Equal(0, _harness.Run(fromJson, "--profile", "ci"));
        Assert.Equal("from-json", fromJson.Stage);
    }

    [Fact]
    public void Nuke_prefixed_and_underscored_environment_names_are_read()
    {
        _harness.Environment["NUKE_COUNT"] = "7";
        var build = new SampleBuild();
        Assert.Equal(0, _harness.Run(build));
        Assert.Equal(7, build.Count);
    }

    [Fact]
    public void Later_profiles_override_earlier_ones()
    {
        _harness.WriteParameters("a", """{ "Count": 10 }""");
        _harness.WriteParameters("b", """{ "Count": 20 }""");
        var build = new SampleBuild();
        Assert.Equal(0, _harness.Run(build, "--profile", "a", "b"));
        Assert.Equal(20, build.Count);
    }

    [Fact]
    public void A_missing_profile_is_an_error()
    {
        Assert.Equal(2, _harness.Run(new SampleBuild(), "--profile", "nope"));
        Assert.Contains("parameters.nope.json not found", _harness.Output);
    }

    [Fact]
    public void Types_convert_from_the_command_line()
    {
        var build = new SampleBuild();
        Assert.Equal(0, _harness.Run(build, "--fast", "--count", "5", "--flavor", "spicy", "--stacks", "api", "www"));
        Assert.True(build.Fast);
        Assert.Equal(5, build.Count);
        Assert.Equal(Flavor.Spicy, build.Flavor);
        Assert.Equal(["api", "www"], build.Stacks);
    }

    [Fact]
    public void A_bare_bool_flag_before_a_target_is_true_and_the_target_still_runs()
    {
        var build = new SampleBuild();
        Assert.Equal(0, _harness.Run(build, "--fast", "Test"));
        Assert.True(build.Fast);
        Assert.Contains("Test", build.Ran);
    }

    [Fact]
    public void An_empty_environment_variable_does_not_turn_a_bool_on()
    {
        _harness.Environment["FAST"] = "";
        var build = new SampleBuild();
        Assert.Equal(0, _harness.Run(build));
        Assert.False(build.Fast);
    }

    [Fact]
    public void Arrays_come_from_comma_separated_environment_values()
    {
        _harness.Environment["STACKS"] = "api,app";
        var build = new SampleBuild();
        Assert.Equal(0, _harness.Run(build));
        Assert.Equal(["api", "app"], build.Stacks);
    }

    [Theory]
    [InlineData(new[] { "--stagee", "dev" }, "Unknown option '--stagee'. Did you mean '--stage'?")]
    [InlineData(new[] { "--count", "many" }, "Invalid value 'many' for --count: expected a whole number.")]
    [InlineData(new[] { "--flavor", "spicey" }, "Invalid value 'spicey' for --flavor: expected one of Plain, Spicy. Did you mean 'Spicy'?")]
    [InlineData(new[] { "--fast", "maybe" }, "Unknown target 'maybe'.")]
    public void Bad_arguments_exit_2_naming_the_fix(string[] args, string expected)
    {
        var build = new SampleBuild();
        Assert.Equal(2, _harness.Run(build, args));
        Assert.Contains(expected, _harness.Output);
        Assert.Empty(build.Ran);
    }

    [Fact]
    public void An_unknown_key_in_parameters_json_is_an_error()
    {
        _harness.WriteParameters(null, """{ "Stag": "dev" }""");
        Assert.Equal(2, _harness.Run(new SampleBuild()));
        Assert.Contains("parameters.json sets unknown parameter 'Stag'. Did you mean 'Stage'?", _harness.Output);
    }

    [Fact]
    public void Invalid_json_in_a_parameters_file_is_reported_at_its_one_based_line_and_column_in_our_own_words()
    {
        _harness.WriteParameters(null, "{\n  \"Stage\": \"dev\"\n  \"Count\": 3\n}");

        Assert.Equal(2, _harness.Run(new SampleBuild()));

        Assert.Contains(".nuke/parameters.json is not valid JSON at line 3, column 3: it must be one object of \"Name\": value pairs, " +
                        "separated by commas, without comments or a trailing comma; fix it there.", _harness.Output);
        Assert.DoesNotContain("reader options", _harness.Output);
    }

    [Fact]
    public void The_build_knows_where_each_parameter_came_from_and_whether_CI_runs_it()
    {
        _harness.WriteParameters(null, """{ "Count": 3 }""");
        _harness.Environment["STAGE"] = "from-env";
        _harness.Environment["CI"] = "true";
        var build = new SampleBuild();

        Assert.Equal(0, _harness.Run(build, "--flavor", "Spicy"));

        Assert.Equal("environment variable STAGE", build.ParameterSources["Stage"]);
        Assert.Equal(".nuke/parameters.json", build.ParameterSources["Count"]);
        Assert.Equal("--flavor", build.ParameterSources["Flavor"]);
        Assert.True(build.RunsOnCi);
        _harness.Environment.Remove("CI");
        var local = new SampleBuild();
        Assert.Equal(0, _harness.Run(local));
        Assert.False(local.RunsOnCi);
    }

    [Fact]
    public async Task Secrets_are_masked_in_every_line_including_tool_output()
    {
        var build = new SampleBuild();
        Assert.Equal(0, _harness.Run(build, "--token", "s3cr3t-value"));
        Log.Info("the token is s3cr3t-value");
        await Tool.RunAsync("sh", ["-c", "echo out s3cr3t-value; echo err s3cr3t-value >&2"]);
        Assert.DoesNotContain("s3cr3t-value", _harness.Output);
        Assert.Contains("the token is ****", _harness.Output);
        Assert.Contains("out ****", _harness.Output);
        Assert.Contains("err ****", _harness.Output);
    }

    [Fact]
    public void Secrets_are_refused_from_committed_parameter_files()
    {
        _harness.WriteParameters(null, """{ "Token": "committed" }""");
        Assert.Equal(2, _harness.Run(new SampleBuild()));
        Assert.Contains("secrets come only from the command line or the environment (use TOKEN)", _harness.Output);
    }

    [Fact]
    public void Secrets_are_registered_with_add_mask_on_github_actions()
    {
        var previous = System.Environment.GetEnvironmentVariable("GITHUB_ACTIONS");
        var console = Console.Out;
        var captured = new StringWriter();
        try
        {
            System.Environment.SetEnvironmentVariable("GITHUB_ACTIONS", "true");
            Console.SetOut(captured);
            SecretMasker.Register("gh-secret-123");
        }
        finally
        {
            Console.SetOut(console);
            System.Environment.SetEnvironmentVariable("GITHUB_ACTIONS", previous);
        }
        Assert.Contains("::add-mask::gh-secret-123", captured.ToString());
    }

    [Theory]
    [InlineData("Stage", "stage")]
    [InlineData("ArtifactsBucket", "artifacts-bucket")]
    [InlineData("AwsRegion", "aws-region")]
    [InlineData("GitHubToken", "git-hub-token")]
    [InlineData("AllowDirty", "allow-dirty")]
    public void Options_are_the_kebab_case_of_member_names(string member, string option) =>
        Assert.Equal(option, CommandLine.ToKebab(member));
}
