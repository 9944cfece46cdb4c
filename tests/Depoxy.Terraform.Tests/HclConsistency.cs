using System.Text.Json;
using System.Text.RegularExpressions;

namespace Depoxy.Terraform.Tests;

/// <summary>
/// Static checks terraform validate would make (and a few of ours), over parsed HCL, since no terraform with
/// providers can run in CI: module arguments against declared variables, var references, module versions,
/// module output references, and the outputs the build reads.
/// </summary>
public static partial class HclConsistency
{
    private static readonly HashSet<string> MetaArguments = ["source", "version", "count", "for_each", "providers", "depends_on"];

    public static readonly IReadOnlyList<string> CiOutputs =
    [
        "plan_role_arn_dev", "apply_role_arn_dev", "plan_role_arn_prod", "apply_role_arn_prod",
        "state_bucket_name", "modules_bucket_name", "artifacts_bucket_name_dev", "artifacts_bucket_name_prod",
    ];

    [GeneratedRegex(@"\bvar\.([A-Za-z_][A-Za-z0-9_-]*)")]
    private static partial Regex VarReference();

    [GeneratedRegex(@"\bmodule\.([A-Za-z_][A-Za-z0-9_-]*)(?:\[[^\]]*\])?\.([A-Za-z_][A-Za-z0-9_-]*)")]
    private static partial Regex ModuleOutputReference();

    [GeneratedRegex(@"^s3::https://s3-eu-west-1\.amazonaws\.com/(?<bucket>[a-z0-9.-]+)/modules/(?<name>[a-z0-9-]+)/(?<version>[0-9]+\.[0-9]+\.[0-9]+)/(?<file>[a-z0-9-]+)\.zip$")]
    private static partial Regex S3Source();

    private sealed record Folder(string Path, IReadOnlyDictionary<string, JsonElement> Files)
    {
        public IEnumerable<(string Name, JsonElement Body, string File)> Blocks(string kind) =>
            Files.SelectMany(f => f.Value.TryGetProperty(kind, out var blocks) && blocks.ValueKind == JsonValueKind.Object
                ? blocks.EnumerateObject().SelectMany(b => b.Value.EnumerateArray().Select(body => (b.Name, body, f.Key)))
                : []);

        public IReadOnlyDictionary<string, JsonElement> Variables =>
            Blocks("variable").GroupBy(b => b.Name).ToDictionary(g => g.Key, g => g.First().Body);

        public ISet<string> Outputs => Blocks("output").Select(b => b.Name).ToHashSet();
    }

    public static IReadOnlyList<string> Check(string root, IReadOnlyDictionary<string, JsonElement> parsed)
    {
        var problems = new List<string>();
        var folders = parsed
            .GroupBy(p => System.IO.Path.GetDirectoryName(p.Key)!.Replace('\\', '/'))
            .ToDictionary(g => g.Key, g => new Folder(g.Key, g.ToDictionary(p => p.Key, p => p.Value)));
        var modulesBucket = folders.TryGetValue("tf/ci", out var ci) && ci.Variables.TryGetValue("modules-bucket-name", out var mb) && mb.TryGetProperty("default", out var d)
            ? d.GetString()
            : null;
        if (modulesBucket is null) problems.Add("tf/ci: no modules-bucket-name variable with a default, so module sources cannot be checked against it");

        foreach (var folder in folders.Values)
        {
            CheckVariables(folder, problems);
            CheckVersions(folder, problems);
            foreach (var (name, body, file) in folder.Blocks("module"))
                CheckModuleCall(root, folders, folder, name, body, file, modulesBucket, problems);
            CheckModuleOutputReferences(folders, folder, problems);
        }

        foreach (var folder in folders.Values.Where(f => f.Path.StartsWith("modules/", StringComparison.Ordinal)))
            CheckModuleLayout(root, folder, problems);

        foreach (var stage in TerraformStack.Stages)
        foreach (var stack in TerraformStack.Names)
            RequireOutputs(folders, $"tf/{stage}/{stack}", StackOutputs.RequiredNames(stack), problems);
        RequireOutputs(folders, "tf/ci", CiOutputs, problems);
        return problems;
    }

    private static void CheckVariables(Folder folder, List<string> problems)
    {
        var declared = folder.Variables;
        foreach (var (name, body, file) in folder.Blocks("variable"))
        {
            if (!body.TryGetProperty("type", out _)) problems.Add($"{file}: variable \"{name}\" has no type");
            if (!body.TryGetProperty("description", out var description) || description.GetString() is not { Length: > 0 })
                problems.Add($"{file}: variable \"{name}\" has no description");
        }
        foreach (var (file, content) in folder.Files)
        foreach (var reference in Strings(content).SelectMany(s => VarReference().Matches(s)).Select(m => m.Groups[1].Value).Distinct())
            if (!declared.ContainsKey(reference))
                problems.Add($"{file}: var.{reference} is not declared in {folder.Path}");
    }

    private static void CheckVersions(Folder folder, List<string> problems)
    {
        var terraform = folder.Files.Values
            .Where(f => f.TryGetProperty("terraform", out _))
            .SelectMany(f => f.GetProperty("terraform").EnumerateArray())
            .ToList();
        if (!terraform.Any(t => t.TryGetProperty("required_version", out var v) && v.GetString() == ">= 1.11"))
            problems.Add($"{folder.Path}: required_version \">= 1.11\" is missing");
        var aws = terraform
            .Where(t => t.TryGetProperty("required_providers", out _))
            .SelectMany(t => t.GetProperty("required_providers").EnumerateArray())
            .Where(p => p.TryGetProperty("aws", out _))
            .Select(p => p.GetProperty("aws"))
            .ToList();
        if (!aws.Any(a => a.TryGetProperty("source", out var s) && s.GetString() == "hashicorp/aws" && a.TryGetProperty("version", out var v) && v.GetString() is "~> 6.0" or ">= 5.100, < 7.0"))
            problems.Add($"{folder.Path}: required_providers aws = hashicorp/aws \">= 5.100, < 7.0\" is missing");
    }

    private static void CheckModuleCall(
        string root, IReadOnlyDictionary<string, Folder> folders, Folder caller, string name, JsonElement body, string file,
        string? modulesBucket, List<string> problems)
    {
        var source = body.TryGetProperty("source", out var s) ? s.GetString() ?? "" : "";
        string moduleDir;
        var match = S3Source().Match(source);
        if (match.Success)
        {
            var moduleName = match.Groups["name"].Value;
            moduleDir = $"modules/{moduleName}";
            if (match.Groups["file"].Value != moduleName)
                problems.Add($"{file}: module \"{name}\" source names {match.Groups["file"].Value}.zip, expected {moduleName}.zip");
            if (modulesBucket is not null && match.Groups["bucket"].Value != modulesBucket)
                problems.Add($"{file}: module \"{name}\" source bucket {match.Groups["bucket"].Value} is not the modules bucket {modulesBucket} of tf/ci");
            var versionFile = System.IO.Path.Combine(root, moduleDir, "VERSION");
            var version = File.Exists(versionFile) ? File.ReadAllText(versionFile).Trim() : null;
            if (version != match.Groups["version"].Value)
                problems.Add($"{file}: module \"{name}\" uses {moduleName} {match.Groups["version"].Value} but {moduleDir}/VERSION is {version ?? "missing"}");
        }
        else if (source.StartsWith("../", StringComparison.Ordinal) || source.StartsWith("./", StringComparison.Ordinal))
        {
            moduleDir = System.IO.Path.GetRelativePath(root, System.IO.Path.GetFullPath(System.IO.Path.Combine(root, caller.Path, source))).Replace('\\', '/');
        }
        else
        {
            problems.Add($"{file}: module \"{name}\" source {source} is neither a published module (s3::https://s3-eu-west-1.amazonaws.com/<bucket>/modules/<name>/<version>/<name>.zip) nor a relative path");
            return;
        }

        if (!folders.TryGetValue(moduleDir, out var module))
        {
            problems.Add($"{file}: module \"{name}\" points at {moduleDir}, which has no .tf files");
            return;
        }
        var variables = module.Variables;
        var arguments = body.EnumerateObject().Select(p => p.Name).Where(a => !MetaArguments.Contains(a)).ToHashSet();
        foreach (var argument in arguments.Where(a => !variables.ContainsKey(a)).Order(StringComparer.Ordinal))
            problems.Add($"{file}: module \"{name}\" passes {argument}, which {moduleDir} does not declare");
        foreach (var required in variables.Where(v => !v.Value.TryGetProperty("default", out _)).Select(v => v.Key).Where(v => !arguments.Contains(v)).Order(StringComparer.Ordinal))
            problems.Add($"{file}: module \"{name}\" does not pass {required}, which {moduleDir} requires");
    }

    private static void CheckModuleOutputReferences(IReadOnlyDictionary<string, Folder> folders, Folder folder, List<string> problems)
    {
        var calls = folder.Blocks("module").ToDictionary(b => b.Name, b => b.Body);
        foreach (var (file, content) in folder.Files)
        foreach (var (call, output) in Strings(content).SelectMany(s => ModuleOutputReference().Matches(s)).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).Distinct())
        {
            if (!calls.TryGetValue(call, out var body))
            {
                problems.Add($"{file}: module.{call} is not a module of {folder.Path}");
                continue;
            }
            var target = ModuleFolder(folder, body);
            if (target is not null && folders.TryGetValue(target, out var module) && !module.Outputs.Contains(output))
                problems.Add($"{file}: module.{call}.{output} is not an output of {target}");
        }
    }

    private static string? ModuleFolder(Folder caller, JsonElement body)
    {
        var source = body.TryGetProperty("source", out var s) ? s.GetString() ?? "" : "";
        var match = S3Source().Match(source);
        if (match.Success) return $"modules/{match.Groups["name"].Value}";
        if (!source.StartsWith('.')) return null;
        var parts = new Stack<string>(caller.Path.Split('/'));
        foreach (var part in source.Split('/'))
            if (part == "..") parts.Pop();
            else if (part != ".") parts.Push(part);
        return string.Join('/', parts.Reverse());
    }

    private static void CheckModuleLayout(string root, Folder module, List<string> problems)
    {
        foreach (var required in new[] { "main.tf", "variables.tf", "outputs.tf", "versions.tf", "VERSION", "README.md" })
            if (!File.Exists(System.IO.Path.Combine(root, module.Path, required)))
                problems.Add($"{module.Path}: {required} is missing");
        var readme = System.IO.Path.Combine(root, module.Path, "README.md");
        if (!File.Exists(readme)) return;
        var text = File.ReadAllText(readme);
        foreach (var name in module.Variables.Keys.Concat(module.Outputs).Where(n => !text.Contains($"`{n}`", StringComparison.Ordinal)))
            problems.Add($"{module.Path}/README.md: does not list `{name}`");
    }

    private static void RequireOutputs(IReadOnlyDictionary<string, Folder> folders, string path, IEnumerable<string> names, List<string> problems)
    {
        var outputs = folders.TryGetValue(path, out var folder) ? folder.Outputs : new HashSet<string>();
        foreach (var name in names.Where(n => !outputs.Contains(n)))
            problems.Add($"{path}: output {name} (read by the build) is missing");
    }

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };
}
