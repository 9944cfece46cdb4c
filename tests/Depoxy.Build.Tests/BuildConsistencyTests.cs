using System.Text.RegularExpressions;
using Depoxy.Build.Engine;
using Depoxy.Testing;

namespace Depoxy.Build.Tests;

/// <summary>What is committed beside the build (schema, README) must say what the build declares.</summary>
public sealed class BuildConsistencyTests
{
    private static readonly IReadOnlyList<ExecutableTarget> Targets = Planner.Discover(new global::Build());
    private static readonly IReadOnlyList<BuildParameter> Parameters = BuildParameter.Discover(typeof(global::Build));

    [Fact]
    public void Committed_schema_is_current()
    {
        var committed = File.ReadAllText(RepositoryRoot.Combine(".nuke", "build.schema.json"));
        Assert.True(committed == SchemaGenerator.Generate(new global::Build()),
            ".nuke/build.schema.json is stale: run ./build.sh GenerateSchema and commit it");
    }

    [Fact]
    public void Readme_lists_exactly_the_listed_targets()
    {
        var documented = Section("targets").Select(row => row[0]).ToHashSet();
        var declared = Targets.Where(t => t.Listed).Select(t => t.Name).ToHashSet();
        Assert.True(declared.SetEquals(documented),
            $"README targets table differs from the build: missing [{string.Join(", ", declared.Except(documented))}], " +
            $"extra [{string.Join(", ", documented.Except(declared))}]");
    }

    [Fact]
    public void Readme_lists_exactly_the_parameters()
    {
        var documented = Section("parameters").Select(row => row[0]).ToHashSet();
        var declared = Parameters.Select(p => "--" + p.Option).ToHashSet();
        Assert.True(declared.SetEquals(documented),
            $"README parameters table differs from the build: missing [{string.Join(", ", declared.Except(documented))}], " +
            $"extra [{string.Join(", ", documented.Except(declared))}]");
    }

    [Fact]
    public void Ci_runs_the_readme_test_command()
    {
        var readme = File.ReadAllText(RepositoryRoot.Combine("README.md"));
        var ci = File.ReadAllText(RepositoryRoot.Combine(".ci", "run"));
        Assert.Contains("./build.sh Test", readme);
        Assert.Contains("\n./build.sh Test\n", ci);
    }

    /// <summary>Rows of the Markdown table between <c>&lt;!-- name --&gt;</c> and <c>&lt;!-- /name --&gt;</c>, first cell unquoted.</summary>
    private static List<string[]> Section(string name)
    {
        var readme = File.ReadAllText(RepositoryRoot.Combine("README.md"));
        var match = Regex.Match(readme, $@"<!-- {name} -->(.*?)<!-- /{name} -->", RegexOptions.Singleline);
        Assert.True(match.Success, $"README.md has no <!-- {name} --> section");
        return match.Groups[1].Value.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith('|') && !l.StartsWith("|--") && !l.StartsWith("| ---") && !l.StartsWith("|---"))
            .Skip(1)
            .Select(l => l.Trim('|').Split('|').Select(c => c.Trim().Trim('`')).ToArray())
            .ToList();
    }
}
