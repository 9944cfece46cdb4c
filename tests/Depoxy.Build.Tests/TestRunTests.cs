using Depoxy.Build.Engine;

namespace Depoxy.Build.Tests;

/// <summary>The Test target's reading of TRX files, its --tier filter and the order it starts the projects in.</summary>
public sealed class TestRunTests : IDisposable
{
    private const string Namespace = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
    private readonly string _results = Directory.CreateTempSubdirectory("trx-").FullName;

    [Fact]
    public void Test_counts_add_up_every_project_and_each_project_s_wall_time_is_its_trx_start_to_finish()
    {
        var a = TestRun.FromTrx("tests/A.Tests/A.Tests.csproj", [Trx("A.Tests", "12:00:00", "12:02:05", ("A.one", "Passed"), ("A.two", "Failed"))])!;
        var b = TestRun.FromTrx("tests/B.Tests/B.Tests.csproj", [Trx("B.Tests", "12:00:00", "12:00:09", ("B.one", "Passed"), ("B.two", "NotExecuted"))])!;
        var run = new TestRun([a, b]);

        Assert.Equal("2 passed, 1 failed, 1 skipped", run.CountsLine);
        Assert.Equal(["A.two"], run.FailedTests);
        Assert.Equal(TimeSpan.FromSeconds(125), a.Wall);
        Assert.Throws<BuildException>(run.ThrowIfFailed);
    }

    [Fact]
    public void The_table_has_a_row_per_project_with_its_counts_and_wall_time_and_a_total()
    {
        var run = new TestRun([TestRun.FromTrx("tests/A.Tests/A.Tests.csproj", [Trx("A.Tests", "12:00:00", "12:02:05", ("A.one", "Passed"), ("A.two", "Failed"))])!]);

        var lines = Summary.Render(run.Table(TimeSpan.FromSeconds(3 * 60 + 7))).Split(Environment.NewLine);

        Assert.Contains(lines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["A.Tests", "2", "1", "1", "0", "2:05"]);
        Assert.Contains(lines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["Total", "2", "1", "1", "0", "3:07"]);
    }

    [Fact]
    public void A_project_that_wrote_no_trx_file_did_not_run()
    {
        Assert.Null(TestRun.FromTrx("tests/A.Tests/A.Tests.csproj", []));
    }

    [Fact]
    public void The_fast_tier_excludes_every_other_tier_and_another_tier_selects_its_trait()
    {
        Assert.Equal("Tier!=terraform&Tier!=browser&Tier!=native", TestRun.Filter([TestTier.fast]));
        Assert.Equal("Tier=browser", TestRun.Filter([TestTier.browser]));
        Assert.Equal("(Tier!=terraform&Tier!=browser&Tier!=native)|(Tier=native)", TestRun.Filter([TestTier.native, TestTier.fast]));
    }

    [Fact]
    public void No_tier_or_every_tier_runs_everything_unfiltered()
    {
        Assert.Null(TestRun.Filter([]));
        Assert.Null(TestRun.Filter(Enum.GetValues<TestTier>()));
    }

    [Fact]
    public void Projects_start_longest_first_by_the_previous_run_s_times_else_the_expected_ones()
    {
        Trx("Depoxy.Short.Tests", "12:00:00", "12:00:30", ("S.one", "Passed"));
        Trx("Depoxy.Long.Tests", "12:00:00", "12:20:00", ("L.one", "Passed"));

        var order = TestRun.LongestFirst(
            ["tests/Depoxy.Short.Tests/Depoxy.Short.Tests.csproj", "tests/Depoxy.Never.Tests/Depoxy.Never.Tests.csproj",
             "tests/Depoxy.Pipeline.Tests/Depoxy.Pipeline.Tests.csproj", "tests/Depoxy.Long.Tests/Depoxy.Long.Tests.csproj"],
            _results);

        Assert.Equal(["Depoxy.Long.Tests", "Depoxy.Pipeline.Tests", "Depoxy.Short.Tests", "Depoxy.Never.Tests"], order.Select(Path.GetFileNameWithoutExtension));
    }

    /// <summary>Writes a TRX file as <c>dotnet test --logger trx</c> does, into the project's results folder.</summary>
    private string Trx(string project, string start, string finish, params (string Name, string Outcome)[] results)
    {
        var folder = Path.Combine(_results, project);
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, $"run-{Guid.NewGuid():N}.trx");
        File.WriteAllText(file, $"""
            <TestRun xmlns="{Namespace}">
              <Times creation="2026-11-30T{start}.0000000+00:00" start="2026-11-30T{start}.0000000+00:00" finish="2026-11-30T{finish}.0000000+00:00" />
              <Results>{string.Concat(results.Select(r => $"""<UnitTestResult testName="{r.Name}" outcome="{r.Outcome}" />"""))}</Results>
            </TestRun>
            """);
        return file;
    }

    public void Dispose() => Directory.Delete(_results, recursive: true);
}
