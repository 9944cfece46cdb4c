namespace Depoxy.Build.Engine;

/// <summary>The command line split into targets and <c>--options</c> with their values, before any meaning is given.</summary>
public sealed class CommandLine
{
    public static readonly IReadOnlyList<string> BuiltInOptions =
        ["help", "plan", "skip", "target", "root", "profile", "verbosity", "no-logo"];

    public List<string> Targets { get; } = [];
    public List<(string Name, List<string> Values)> Options { get; } = [];

    public bool Has(string name) => Options.Any(o => o.Name == name);

    public List<string>? Values(string name) =>
        Options.Where(o => o.Name == name).Select(o => o.Values).Aggregate((List<string>?)null, (all, v) => [.. all ?? [], .. v]);

    public static CommandLine Parse(IEnumerable<string> args)
    {
        var result = new CommandLine();
        List<string>? current = null;
        foreach (var arg in args)
        {
            if (IsOption(arg))
            {
                var text = arg.TrimStart('-');
                var equals = text.IndexOf('=');
                var name = (equals < 0 ? text : text[..equals]).ToLowerInvariant();
                if (name == "h" || name == "?") name = "help";
                current = equals < 0 ? [] : [text[(equals + 1)..]];
                result.Options.Add((name, current));
            }
            else if (current is null)
            {
                result.Targets.Add(arg);
            }
            else
            {
                current.Add(arg);
            }
        }
        return result;
    }

    /// <summary>
    /// Words after a flag that are not true/false are targets, as in <c>--plan Test</c> or <c>--allow-dirty Deploy</c>.
    /// </summary>
    public void ReleaseFlagValues(IEnumerable<string> flags)
    {
        var flagSet = flags.ToHashSet();
        foreach (var (name, values) in Options.Where(o => flagSet.Contains(o.Name)))
        {
            var keep = values.Count > 0 && bool.TryParse(values[0], out _) ? 1 : 0;
            Targets.AddRange(values.Skip(keep));
            values.RemoveRange(keep, values.Count - keep);
        }
    }

    private static bool IsOption(string arg) =>
        arg.Length > 1 && arg[0] == '-' && !char.IsDigit(arg[1]) && arg != "-";

    public static string ToKebab(string pascal)
    {
        var chars = new List<char>();
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            var boundary = i > 0 && char.IsUpper(c) &&
                           (char.IsLower(pascal[i - 1]) || char.IsDigit(pascal[i - 1]) ||
                            (i + 1 < pascal.Length && char.IsLower(pascal[i + 1]) && char.IsUpper(pascal[i - 1])));
            if (boundary) chars.Add('-');
            chars.Add(char.ToLowerInvariant(c));
        }
        return new string([.. chars]);
    }
}
