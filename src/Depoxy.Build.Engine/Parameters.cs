using System.Reflection;
using System.Text.Json;

namespace Depoxy.Build.Engine;

/// <summary>A <c>[Parameter]</c> member of the build, with the names it answers to.</summary>
public sealed class BuildParameter
{
    internal BuildParameter(MemberInfo member, ParameterAttribute attribute)
    {
        Member = member;
        Name = attribute.Name ?? member.Name;
        Option = CommandLine.ToKebab(Name);
        Description = attribute.Description;
        IsSecret = member.GetCustomAttribute<SecretAttribute>() is not null;
        Type = member switch
        {
            FieldInfo f => f.FieldType,
            PropertyInfo p => p.PropertyType,
            _ => throw new InvalidOperationException(member.Name),
        };
    }

    public MemberInfo Member { get; }
    public string Name { get; }
    public string Option { get; }
    public string? Description { get; }
    public bool IsSecret { get; }
    public Type Type { get; }

    public Type ValueType => Nullable.GetUnderlyingType(Type) ?? Type;
    public bool IsArray => ValueType.IsArray;
    public Type ElementType => IsArray ? ValueType.GetElementType()! : ValueType;
    public bool IsBool => ElementType == typeof(bool);

    public object? GetValue(object build) => Member switch
    {
        FieldInfo f => f.GetValue(build),
        PropertyInfo p => p.GetValue(build),
        _ => null,
    };

    internal void SetValue(object build, object? value)
    {
        switch (Member)
        {
            case FieldInfo f: f.SetValue(build, value); break;
            case PropertyInfo p: p.SetValue(build, value); break;
        }
    }

    /// <summary>What <c>--help</c> shows after the description: the accepted values of an enum.</summary>
    public string ValueHint => ElementType.IsEnum ? string.Join(", ", Enum.GetNames(ElementType)) : "";

    public static IReadOnlyList<BuildParameter> Discover(Type buildType) =>
        buildType.GetMembers(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.FlattenHierarchy)
            .Where(m => m is FieldInfo or PropertyInfo)
            .Select(m => (Member: m, Attribute: m.GetCustomAttribute<ParameterAttribute>()))
            .Where(x => x.Attribute is not null)
            .Select(x => new BuildParameter(x.Member, x.Attribute!))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
}

/// <summary>
/// Resolves every parameter from, in order: the command line, the environment (NAME, NAME with underscores,
/// NUKE_NAME), <c>.nuke/parameters.json</c>, then <c>.nuke/parameters.&lt;profile&gt;.json</c> for each profile.
/// </summary>
public sealed class ParameterResolver(string rootDirectory, IReadOnlyDictionary<string, string> environment)
{
    private readonly Dictionary<string, string> _sources = new(StringComparer.Ordinal);

    /// <summary>Where each parameter set by the last <see cref="Apply"/> came from: "--stage", "environment variable STAGE", ".nuke/parameters.dev.json".</summary>
    public IReadOnlyDictionary<string, string> Sources => _sources;

    public void Apply(object build, IReadOnlyList<BuildParameter> parameters, CommandLine commandLine, IReadOnlyList<string> profiles)
    {
        _sources.Clear();
        var known = parameters.Select(p => p.Option).Concat(CommandLine.BuiltInOptions).ToList();
        foreach (var (name, _) in commandLine.Options)
            if (!known.Contains(name))
                throw new UsageException($"Unknown option '--{name}'.{Suggestions.Nearest(name, known, "--")} Run ./build.sh --help for the list.");

        var files = new List<(string File, Dictionary<string, JsonElement> Values)> { Read(ParameterFile(null), required: false, parameters) };
        files.AddRange(profiles.Select(p => Read(ParameterFile(p), required: true, parameters)));
        // Later profiles take precedence over earlier ones; all of them come after parameters.json.
        var fileOrder = files.Take(1).Concat(files.Skip(1).Reverse()).ToList();

        RegisterSecrets(parameters, commandLine);
        foreach (var parameter in parameters)
        {
            if (commandLine.Values(parameter.Option) is { } values)
            {
                parameter.SetValue(build, Convert(parameter, values, "--" + parameter.Option, fromCommandLine: true));
                _sources[parameter.Name] = "--" + parameter.Option;
            }
            else if (FromEnvironment(parameter) is { } variable)
            {
                parameter.SetValue(build, Convert(parameter, SplitList(parameter, variable.Value), "environment variable " + variable.Name, fromCommandLine: false));
                _sources[parameter.Name] = "environment variable " + variable.Name;
            }
            else if (fileOrder.FirstOrDefault(f => f.Values.ContainsKey(Normalize(parameter.Name))) is { File: not null } file)
            {
                if (parameter.IsSecret)
                    throw new UsageException($"{Path.GetFileName(file.File)} sets secret '{parameter.Name}': secrets come only from the command line or the environment (use {EnvironmentName(parameter)}).");
                var element = file.Values[Normalize(parameter.Name)];
                parameter.SetValue(build, Convert(parameter, FromJson(element), $"'{parameter.Name}' in {Path.GetFileName(file.File)}", fromCommandLine: false));
                _sources[parameter.Name] = ".nuke/" + Path.GetFileName(file.File);
            }

            if (parameter.IsSecret && parameter.GetValue(build) is string secret) SecretMasker.Register(secret);
        }
    }

    /// <summary>
    /// Masks every secret's raw values from the command line and the environment before anything is parsed, so no
    /// message, a parse error or an unknown target included, can print one.
    /// </summary>
    public void RegisterSecrets(IReadOnlyList<BuildParameter> parameters, CommandLine commandLine)
    {
        foreach (var parameter in parameters.Where(p => p.IsSecret))
        {
            foreach (var value in commandLine.Values(parameter.Option) ?? []) SecretMasker.Register(value);
            if (FromEnvironment(parameter) is { } variable) SecretMasker.Register(variable.Value);
        }
    }

    /// <summary>Fills a fresh build from parameters.json and one profile only, e.g. to read another stage's settings.</summary>
    public static T FromProfile<T>(T build, string rootDirectory, string profile) where T : notnull
    {
        new ParameterResolver(rootDirectory, new Dictionary<string, string>())
            .Apply(build, BuildParameter.Discover(build.GetType()), CommandLine.Parse([]), [profile]);
        return build;
    }

    public string ParameterFile(string? profile) =>
        Path.Combine(rootDirectory, ".nuke", profile is null ? "parameters.json" : $"parameters.{profile}.json");

    public static string EnvironmentName(BuildParameter parameter) => parameter.Option.Replace('-', '_').ToUpperInvariant();

    private (string Name, string Value)? FromEnvironment(BuildParameter parameter)
    {
        var wanted = Normalize(parameter.Name);
        foreach (var (name, value) in environment)
        {
            var normalized = Normalize(name);
            if ((normalized == wanted || normalized == "nuke" + wanted) && !string.IsNullOrWhiteSpace(value))
                return (name, value);
        }
        return null;
    }

    private static (string File, Dictionary<string, JsonElement> Values) Read(string file, bool required, IReadOnlyList<BuildParameter> parameters)
    {
        if (!File.Exists(file))
        {
            if (required)
                throw new UsageException($"Profile file {Path.GetFileName(file)} not found: create .nuke/{Path.GetFileName(file)} or drop the --profile.");
            return (null!, []);
        }
        Dictionary<string, JsonElement> raw;
        try
        {
            raw = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(File.ReadAllText(file)) ?? [];
        }
        catch (JsonException e)
        {
            // JsonException counts lines and bytes from 0, and its message speaks of reader options no user sets.
            var where = e.LineNumber is { } line ? $" at line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}" : "";
            throw new UsageException(
                $".nuke/{Path.GetFileName(file)} is not valid JSON{where}: it must be one object of \"Name\": value pairs, " +
                "separated by commas, without comments or a trailing comma; fix it there.");
        }
        var names = parameters.Select(p => p.Name).ToList();
        var values = new Dictionary<string, JsonElement>();
        foreach (var (key, value) in raw)
        {
            if (key.StartsWith('$')) continue;
            if (!names.Any(n => Normalize(n) == Normalize(key)))
                throw new UsageException($"{Path.GetFileName(file)} sets unknown parameter '{key}'.{Suggestions.DidYouMean(key, names)}");
            values[Normalize(key)] = value;
        }
        return (file, values);
    }

    private static string Normalize(string name) => name.Replace("_", "").Replace("-", "").ToLowerInvariant();

    private static List<string> SplitList(BuildParameter parameter, string value) =>
        parameter.IsArray ? [.. value.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] : [value];

    private static List<string> FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => [.. element.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText())],
        JsonValueKind.String => [element.GetString()!],
        _ => [element.GetRawText()],
    };

    internal static object? Convert(BuildParameter parameter, List<string> values, string source, bool fromCommandLine)
    {
        if (parameter.IsArray)
        {
            var array = Array.CreateInstance(parameter.ElementType, values.Count);
            for (var i = 0; i < values.Count; i++) array.SetValue(ConvertOne(parameter, values[i], source), i);
            return array;
        }
        if (values.Count == 0)
        {
            if (parameter.IsBool && fromCommandLine) return true;
            throw new UsageException($"{source} needs a value{(parameter.ValueHint.Length > 0 ? ": one of " + parameter.ValueHint : "")}.");
        }
        if (values.Count > 1)
            throw new UsageException(parameter.IsSecret
                ? $"{source} takes one value, got {values.Count} (a secret: values not shown); give it once."
                : $"{source} takes one value, got {values.Count}: {string.Join(' ', values)}.");
        return ConvertOne(parameter, values[0], source);
    }

    private static object ConvertOne(BuildParameter parameter, string value, string source)
    {
        var type = parameter.ElementType;
        if (type == typeof(string)) return value;
        if (type == typeof(bool))
            return bool.TryParse(value, out var b) ? b : throw new UsageException($"Invalid value '{value}' for {source}: expected true or false.");
        if (type == typeof(int))
            return int.TryParse(value, out var i) ? i : throw new UsageException($"Invalid value '{value}' for {source}: expected a whole number.");
        if (type.IsEnum)
        {
            var names = Enum.GetNames(type);
            var match = names.FirstOrDefault(n => n.Equals(value, StringComparison.OrdinalIgnoreCase) || CommandLine.ToKebab(n) == value.ToLowerInvariant());
            return match is not null
                ? Enum.Parse(type, match)
                : throw new UsageException($"Invalid value '{value}' for {source}: expected one of {string.Join(", ", names)}.{Suggestions.DidYouMean(value, names)}");
        }
        throw new InvalidOperationException($"Parameter type {type.Name} of {parameter.Name} is not supported");
    }
}
