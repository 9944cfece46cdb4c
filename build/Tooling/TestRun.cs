using System.Xml.Linq;
using Depoxy.Build.Engine;

/// <summary>Runs <c>dotnet test</c> on the solution and adds up every TRX result file into one closing line.</summary>
sealed record TestRun(int Passed, int Failed, int Skipped, IReadOnlyList<string> FailedTests)
{
    public string CountsLine => $"{Passed} passed, {Failed} failed, {Skipped} skipped";

    public static async Task<TestRun> RunAsync(string root, string solution, string configuration, string resultsDirectory)
    {
        if (Directory.Exists(resultsDirectory)) Directory.Delete(resultsDirectory, recursive: true);
        var result = await Tool.RunAsync("dotnet",
            ["test", solution, "--no-build", "-c", configuration, "--nologo", "--logger", "trx", "--results-directory", resultsDirectory],
            root, allowFailure: true);
        var run = FromTrx(Directory.Exists(resultsDirectory) ? Directory.GetFiles(resultsDirectory, "*.trx") : []);
        if (result.ExitCode != 0 && run.Failed == 0)
            throw new BuildException($"dotnet test exited with code {result.ExitCode} without a failed test: see the output above (a test host crash or a build error)");
        Log.Always(run.CountsLine);
        return run;
    }

    public static TestRun FromTrx(IEnumerable<string> files)
    {
        int passed = 0, failed = 0, skipped = 0;
        var failedTests = new List<string>();
        foreach (var file in files)
        {
            var results = XDocument.Load(file).Descendants().Where(e => e.Name.LocalName == "UnitTestResult");
            foreach (var result in results)
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
        return new TestRun(passed, failed, skipped, failedTests);
    }

    public void ThrowIfFailed()
    {
        if (Failed > 0)
            throw new BuildException($"{Failed} test(s) failed: {string.Join(", ", FailedTests.Take(10))}{(FailedTests.Count > 10 ? ", …" : "")}");
        if (Passed == 0)
            throw new BuildException("no test ran: check that the test projects are in Depoxy.slnx");
    }
}
