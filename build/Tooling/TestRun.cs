using System.Globalization;
using System.Xml.Linq;
using Depoxy.Build.Engine;
using Spectre.Console;

// Lowercase on purpose: these are the names users type (--tier fast) and the values of the tests' "Tier" trait.
#pragma warning disable IDE1006
/// <summary>
/// What a test needs beyond moto and the npm tools in tests/tools, as the xunit trait <c>[Trait("Tier", "…")]</c> of
/// its class: real terraform and the provider mirror, Chromium, or a Native AOT publish. fast is every test with none.
/// </summary>
enum TestTier { fast, terraform, browser, native }
#pragma warning restore IDE1006

/// <summary>One test project's outcome, read from its TRX file; <see cref="Wall"/> is the TRX's start to finish.</summary>
sealed record ProjectRun(string Project, int Passed, int Failed, int Skipped, TimeSpan Wall, IReadOnlyList<string> FailedTests)
{
    public int Tests => Passed + Failed + Skipped;
}

/// <summary>
/// Runs <c>dotnet test</c> on each test project of the solution, a few side by side, the longest first (as timed by
/// the previous run's TRX files, else <see cref="ExpectedMinutes"/>), so the slowest project is not left to start last.
/// Ends with a per-project table and one closing line that adds up every TRX file.
/// </summary>
sealed record TestRun(IReadOnlyList<ProjectRun> Projects)
{
    public const string TierTrait = "Tier";

    /// <summary>
    /// Wall minutes per project in a full run on an idle 2-core machine (the order a clean clone starts them in). A
    /// project missing here starts after these; the previous run's own times take precedence when there is one.
    /// </summary>
    static readonly Dictionary<string, double> ExpectedMinutes = new()
    {
        ["Depoxy.Pipeline.Tests"] = 13,
        ["Depoxy.Terraform.Tests"] = 5,
        ["Depoxy.Iam.Tests"] = 3,
        ["Depoxy.Web.Tests"] = 2,
        ["Depoxy.Packaging.Tests"] = 2,
    };

    public int Passed => Projects.Sum(p => p.Passed);
    public int Failed => Projects.Sum(p => p.Failed);
    public int Skipped => Projects.Sum(p => p.Skipped);
    public IEnumerable<string> FailedTests => Projects.SelectMany(p => p.FailedTests);
    public string CountsLine => $"{Passed} passed, {Failed} failed, {Skipped} skipped";

    /// <summary>The <c>dotnet test --filter</c> for the chosen tiers; null for all of them.</summary>
    public static string? Filter(IReadOnlyCollection<TestTier> tiers)
    {
        if (tiers.Count == 0 || Enum.GetValues<TestTier>().All(tiers.Contains)) return null;
        var slow = Enum.GetValues<TestTier>().Where(t => t != TestTier.fast).ToList();
        var parts = tiers.Distinct().Order().Select(tier => tier == TestTier.fast
            ? string.Join("&", slow.Select(s => $"{TierTrait}!={s}"))
            : $"{TierTrait}={tier}").ToList();
        return parts.Count == 1 ? parts[0] : string.Join("|", parts.Select(p => $"({p})"));
    }

    /// <param name="prepare">Runs before a project's tests, given the project's name; returns what to add to its environment.</param>
    public static async Task<TestRun> RunAsync(string root, string solution, string configuration, string resultsDirectory, IReadOnlyCollection<TestTier> tiers,
        Func<string, Task<IReadOnlyDictionary<string, string?>>>? prepare = null)
    {
        var order = LongestFirst(TestProjects(root, solution), resultsDirectory);
        if (Directory.Exists(resultsDirectory)) Directory.Delete(resultsDirectory, recursive: true);

        var filter = Filter(tiers);
        Log.Always($"Testing {(filter is null ? "every tier" : "tier " + string.Join(", ", tiers.Distinct().Order()))}: {order.Count} projects, {Environment.ProcessorCount} side by side, longest first ({string.Join(", ", order.Select(ProjectName))})");
        var exitCodes = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Parallel.ForEachAsync(order, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (project, _) =>
        {
            List<string> arguments = ["test", project, "--no-build", "-c", configuration, "--nologo", "--logger", "trx",
                "--results-directory", Path.Combine(resultsDirectory, ProjectName(project))];
            if (filter is not null) arguments.AddRange(["--filter", filter]);
            var environment = prepare is null ? null : await prepare(ProjectName(project));
            exitCodes[project] = (await Tool.RunAsync("dotnet", arguments, root, environment, allowFailure: true)).ExitCode;
            Log.Always($"{ProjectName(project)} done after {Minutes(clock.Elapsed)}");
        });

        var runs = order.Select(p => FromTrx(p, TrxFiles(resultsDirectory, p))).ToList();
        var run = new TestRun([.. runs.OfType<ProjectRun>()]);
        Log.Always(Summary.Render(run.Table(clock.Elapsed)));
        var crashed = order.Where((p, i) => exitCodes[p] != 0 && (runs[i]?.Failed ?? 0) == 0).Select(ProjectName).ToList();
        if (crashed.Count > 0)
            throw new BuildException($"dotnet test of {string.Join(", ", crashed)} exited non-zero without a failed test: see its output above (a test host crash or a build error)");
        Log.Always(run.CountsLine);
        return run;
    }

    /// <summary>The projects by their wall time in the previous run's TRX files under <paramref name="resultsDirectory"/>, else by <see cref="ExpectedMinutes"/>.</summary>
    public static List<string> LongestFirst(IEnumerable<string> projects, string resultsDirectory) =>
        projects
            .OrderByDescending(p => FromTrx(p, TrxFiles(resultsDirectory, p))?.Wall ?? TimeSpan.FromMinutes(ExpectedMinutes.GetValueOrDefault(ProjectName(p))))
            .ThenBy(ProjectName, StringComparer.Ordinal)
            .ToList();

    /// <summary>Every project of the solution whose name ends in .Tests (Depoxy.Testing is their shared library).</summary>
    static List<string> TestProjects(string root, string solution) =>
        XDocument.Load(solution).Descendants("Project")
            .Select(p => (string?)p.Attribute("Path"))
            .OfType<string>()
            .Where(path => Path.GetFileNameWithoutExtension(path).EndsWith(".Tests", StringComparison.Ordinal))
            .Select(path => Path.Combine(root, path))
            .ToList();

    static string ProjectName(string project) => Path.GetFileNameWithoutExtension(project);

    static string[] TrxFiles(string resultsDirectory, string project)
    {
        var folder = Path.Combine(resultsDirectory, ProjectName(project));
        return Directory.Exists(folder) ? Directory.GetFiles(folder, "*.trx") : [];
    }

    /// <summary>A project's counts and wall time from its TRX files; null when it wrote none (it did not run).</summary>
    public static ProjectRun? FromTrx(string project, IReadOnlyCollection<string> files)
    {
        if (files.Count == 0) return null;
        int passed = 0, failed = 0, skipped = 0;
        var failedTests = new List<string>();
        var wall = TimeSpan.Zero;
        foreach (var file in files)
        {
            var document = XDocument.Load(file);
            var times = document.Descendants().FirstOrDefault(e => e.Name.LocalName == "Times");
            if (times is not null && DateTimeOffset.TryParse((string?)times.Attribute("start"), CultureInfo.InvariantCulture, out var start)
                && DateTimeOffset.TryParse((string?)times.Attribute("finish"), CultureInfo.InvariantCulture, out var finish))
                wall += finish - start;
            foreach (var result in document.Descendants().Where(e => e.Name.LocalName == "UnitTestResult"))
            {
                switch ((string?)result.Attribute("outcome"))
                {
                    case "Passed": passed++; break;
                    case "NotExecuted": skipped++; break;
                    default:
                        failed++;
                        failedTests.Add((string?)result.Attribute("testName") ?? "?");
                        break;
                }
            }
        }
        return new ProjectRun(ProjectName(project), passed, failed, skipped, wall, failedTests);
    }

    public Table Table(TimeSpan elapsed)
    {
        var table = new Table().Border(TableBorder.Simple).HideRowSeparators();
        table.AddColumn("Test project").AddColumn(new TableColumn("Tests").RightAligned()).AddColumn(new TableColumn("Passed").RightAligned())
            .AddColumn(new TableColumn("Failed").RightAligned()).AddColumn(new TableColumn("Skipped").RightAligned()).AddColumn(new TableColumn("Wall").RightAligned());
        foreach (var project in Projects)
            table.AddRow(Markup.Escape(project.Project), Count(project.Tests), Count(project.Passed), Count(project.Failed), Count(project.Skipped), Minutes(project.Wall));
        table.AddEmptyRow();
        table.AddRow("Total", Count(Projects.Sum(p => p.Tests)), Count(Passed), Count(Failed), Count(Skipped), Minutes(elapsed));
        return table;
    }

    static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    static string Minutes(TimeSpan span) => $"{(int)span.TotalMinutes}:{span.Seconds:00}";

    public void ThrowIfFailed()
    {
        var failedTests = FailedTests.ToList();
        if (Failed > 0)
            throw new BuildException($"{Failed} test(s) failed: {string.Join(", ", failedTests.Take(10))}{(failedTests.Count > 10 ? ", …" : "")}");
        if (Passed == 0)
            throw new BuildException("no test ran: check that the test projects are in Depoxy.slnx and that --tier selects some");
    }
}
