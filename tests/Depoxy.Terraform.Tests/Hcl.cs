using System.Text.Json;
using Depoxy.Build.Engine;
using Depoxy.Testing;

namespace Depoxy.Terraform.Tests;

/// <summary>
/// Parses .tf files with @cdktf/hcl2json (HashiCorp's HCL parser compiled to wasm) in one node process for all
/// files, so the whole tree costs one process start.
/// </summary>
public static class Hcl
{
    private const string Script = """
        const { parse } = require(process.argv[2]);
        const fs = require('fs');
        (async () => {
          const out = {};
          for (const file of process.argv.slice(3)) {
            try { out[file] = await parse(file, fs.readFileSync(file, 'utf8')); }
            catch (e) { out[file] = { __error: String(e && e.message || e) }; }
          }
          process.stdout.write(JSON.stringify(out));
        })();
        """;

    /// <summary>Every .tf file under <paramref name="folders"/> of <paramref name="root"/>, parsed; keys are paths relative to root with '/'.</summary>
    public static async Task<IReadOnlyDictionary<string, JsonElement>> ParseAsync(string root, params string[] folders)
    {
        var files = folders
            .Select(f => Path.Combine(root, f))
            .Where(Directory.Exists)
            .SelectMany(f => Directory.EnumerateFiles(f, "*.tf", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}.terraform{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        var script = Path.Combine(Path.GetTempPath(), $"depoxy-hcl2json-{Environment.ProcessId}-{Guid.NewGuid():N}.js");
        await File.WriteAllTextAsync(script, Script);
        try
        {
            var module = RepositoryRoot.NodeModule("@cdktf/hcl2json");
            var result = await Tool.RunAsync("node", [script, module, .. files], root, echoOutput: false);
            using var document = JsonDocument.Parse(result.StandardOutput);
            return document.RootElement.EnumerateObject().ToDictionary(
                p => Path.GetRelativePath(root, p.Name).Replace('\\', '/'),
                p => p.Value.Clone());
        }
        finally
        {
            File.Delete(script);
        }
    }

    public static string? Error(JsonElement parsed) =>
        parsed.TryGetProperty("__error", out var e) ? e.GetString() : null;
}
