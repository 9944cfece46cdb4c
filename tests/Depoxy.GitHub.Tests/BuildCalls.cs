using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Depoxy.GitHub.Tests;

/// <summary>One <c>./build.sh</c> call in a workflow's <c>run:</c> script.</summary>
public sealed record BuildCall(string File, int Line, IReadOnlyList<string> Targets, IReadOnlyList<string> Options, string Text)
{
    public string Where => $"{Path.GetFileName(File)}:{Line}";
}

/// <summary>Finds the <c>./build.sh</c> calls of a workflow: every <c>run:</c> value, continuation lines joined,
/// split like the shell would at the call's own words (up to <c>;</c>, <c>&amp;&amp;</c>, <c>||</c>, <c>|</c> or a comment).
/// <c>${{ … }}</c> expressions count as one word.</summary>
public static partial class BuildCalls
{
    public static IReadOnlyList<BuildCall> In(string workflowFile)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(workflowFile)) yaml.Load(reader);
        var calls = new List<BuildCall>();
        foreach (var document in yaml.Documents)
            foreach (var (script, firstLine) in RunScripts(document.RootNode))
                calls.AddRange(InScript(workflowFile, script, firstLine));
        return calls;
    }

    private static IEnumerable<(string Script, int FirstLine)> RunScripts(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is YamlScalarNode { Value: "run" } && value is YamlScalarNode { Value: { } script } scalar)
                    {
                        var blockScalar = scalar.Style is YamlDotNet.Core.ScalarStyle.Literal or YamlDotNet.Core.ScalarStyle.Folded;
                        yield return (script, (int)scalar.Start.Line + (blockScalar ? 1 : 0));
                    }
                    else
                    {
                        foreach (var found in RunScripts(value)) yield return found;
                    }
                }
                break;
            case YamlSequenceNode sequence:
                foreach (var found in sequence.Children.SelectMany(RunScripts)) yield return found;
                break;
        }
    }

    private static IEnumerable<BuildCall> InScript(string file, string script, int firstLine)
    {
        var lines = script.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var start = i;
            while (line.EndsWith('\\') && i + 1 < lines.Length) line = line[..^1] + " " + lines[++i];
            if (line.TrimStart().StartsWith('#')) continue;
            foreach (Match call in Call().Matches(line))
            {
                var args = line[(call.Index + call.Length)..];
                var words = Words(args);
                var targets = words.TakeWhile(w => !w.StartsWith('-')).ToList();
                var options = words.Where(w => w.StartsWith('-')).Select(w => w.TrimStart('-').Split('=')[0]).ToList();
                yield return new BuildCall(file, firstLine + start, targets, options, line[call.Index..].Trim());
            }
        }
    }

    /// <summary>The call's words; an expression becomes <c>$expression</c> first so its own punctuation cannot end the call.</summary>
    private static List<string> Words(string args)
    {
        var command = Separator().Split(Expression().Replace(args, "$$expression"))[0];
        return [.. Word().Matches(command).Select(m => m.Value.Trim('"', '\''))];
    }

    public static IEnumerable<string> Problems(BuildCall call, BuildSchema schema)
    {
        foreach (var target in call.Targets)
        {
            if (target.Contains('$'))
                yield return $"{call.Where}: target '{target}' in `{call.Text}` is not literal: name the target in the workflow so it can be checked";
            else if (!schema.DeclaresTarget(target))
                yield return $"{call.Where}: target '{target}' in `{call.Text}` is not declared by the build (targets: {string.Join(", ", schema.Targets.Order())})";
        }
        foreach (var option in call.Options)
            if (!schema.Options.Contains(option.ToLowerInvariant()))
                yield return $"{call.Where}: option '--{option}' in `{call.Text}` is not declared by the build";
    }

    [GeneratedRegex(@"(?<=^|[\s;&|(])\./build\.sh\b")]
    private static partial Regex Call();

    [GeneratedRegex(@"\$\{\{.*?\}\}")]
    private static partial Regex Expression();

    [GeneratedRegex(@"\s#|;|&&|\|\||\||\)")]
    private static partial Regex Separator();

    [GeneratedRegex(@"""[^""]*""|'[^']*'|\S+")]
    private static partial Regex Word();
}
