using Depoxy.Build.Engine;

namespace Depoxy.Build.Engine.Tests;

[Collection("engine")]
public sealed class OutputTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task A_tool_writing_to_stderr_is_not_an_error()
    {
        var result = await Tool.RunAsync("sh", ["-c", "echo warning-text >&2; exit 0"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("warning-text", _harness.Output);
        Assert.DoesNotContain("ERROR", _harness.Output);
        Assert.DoesNotContain("::error", _harness.Output);
    }

    [Fact]
    public async Task A_failing_tool_reports_its_stderr_and_exit_code()
    {
        var failure = await Assert.ThrowsAsync<ToolException>(() =>
            Tool.RunAsync("sh", ["-c", "echo the-reason >&2; exit 3"], echoOutput: false));
        Assert.Equal(3, failure.Result.ExitCode);
        Assert.Contains("exited with code 3", failure.Message);
        Assert.Contains("the-reason", failure.Message);
    }

    [Fact]
    public async Task Tool_calls_are_echoed_before_they_run()
    {
        await Tool.RunAsync("sh", ["-c", "true"]);
        Assert.Contains("> sh -c true", _harness.Output);
    }

    [Fact]
    public async Task The_line_observer_sees_each_line_of_both_streams_while_the_tool_still_runs()
    {
        var go = Path.Combine(Path.GetTempPath(), "depoxy-observe-" + Guid.NewGuid().ToString("N"));
        var seen = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        // The tool waits for a file the observer writes on its first line: only a line seen as it comes lets it end.
        await Tool.RunAsync("sh", ["-c", $"echo ready; while [ ! -f {go} ]; do sleep 0.05; done; echo done >&2"], echoOutput: false,
            cancellationToken: timeout.Token, observeLine: line =>
            {
                seen.Add(line);
                if (line == "ready") File.WriteAllText(go, "");
            });
        File.Delete(go);

        Assert.Equal(["ready", "done"], seen);
    }

    [Fact]
    public void The_summary_lists_every_status_with_skip_reasons()
    {
        var build = new SampleBuild();
        Assert.Equal(0, _harness.Run(build, "Package", "--skip", "Restore"));
        Assert.Matches(@"Target\s+Status\s+Duration", _harness.Output);
        Assert.Matches(@"Restore\s+Skipped\s+--skip", _harness.Output);
        Assert.Matches(@"Compile\s+Succeeded\s+0:0\d", _harness.Output);
        Assert.Matches(@"Docs\s+Skipped\s+condition false", _harness.Output);
        Assert.Matches(@"Total\s+0:0\d", _harness.Output);
        Assert.Contains("Build succeeded on", _harness.Output);
    }

    [Fact]
    public void Epilogue_lines_come_last()
    {
        Summary.AddEpilogue("3 passed, 0 failed, 0 skipped");
        Assert.Equal(0, _harness.Run(new SampleBuild()));
        Assert.Equal("3 passed, 0 failed, 0 skipped", _harness.Output.TrimEnd().Split('\n').Last().TrimEnd('\r'));
    }

    [Fact]
    public void Github_actions_gets_groups_error_annotations_and_a_markdown_summary()
    {
        var summaryFile = Path.Combine(_harness.Root, "step-summary.md");
        var previous = (Environment.GetEnvironmentVariable("GITHUB_ACTIONS"), Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY"));
        try
        {
            Environment.SetEnvironmentVariable("GITHUB_ACTIONS", "true");
            Environment.SetEnvironmentVariable("GITHUB_STEP_SUMMARY", summaryFile);
            Assert.Equal(1, _harness.Run(new SampleBuild { FailCompile = true }, "Compile"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("GITHUB_ACTIONS", previous.Item1);
            Environment.SetEnvironmentVariable("GITHUB_STEP_SUMMARY", previous.Item2);
        }
        Assert.Contains("::group::Compile", _harness.Output);
        Assert.Contains("::endgroup::", _harness.Output);
        Assert.Contains("::error::compile broke", _harness.Output);
        var markdown = File.ReadAllText(summaryFile);
        Assert.Contains("| Target | Status | Duration | Note |", markdown);
        Assert.Matches(@"\| Compile \| Failed \| \d+:\d\d \| compile broke \|", markdown);
    }

    [Fact]
    public void Schema_lists_targets_and_typed_parameters_in_nukes_layout()
    {
        using var schema = System.Text.Json.JsonDocument.Parse(SchemaGenerator.Generate(new SampleBuild()));
        var root = schema.RootElement;
        var targets = root.GetProperty("definitions").GetProperty("ExecutableTarget").GetProperty("enum").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("Deploy", targets);
        var properties = root.GetProperty("allOf")[0].GetProperty("properties");
        Assert.Equal("integer", properties.GetProperty("Count").GetProperty("type").GetString());
        Assert.Equal("boolean", properties.GetProperty("Fast").GetProperty("type").GetString());
        Assert.Equal("array", properties.GetProperty("Stacks").GetProperty("type").GetString());
        Assert.Equal(["Plain", "Spicy"], properties.GetProperty("Flavor").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.True(root.GetProperty("definitions").GetProperty("NukeBuild").GetProperty("properties").TryGetProperty("Skip", out _));
    }
}
