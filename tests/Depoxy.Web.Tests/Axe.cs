using System.Text.Json;
using Depoxy.Testing;
using Microsoft.Playwright;

namespace Depoxy.Web.Tests;

/// <summary>Runs axe-core (from tests/tools/node_modules) inside the page and returns its violations of the impacts asked for.</summary>
public static class Axe
{
    private const string Run = """
        async impacts => {
          const results = await axe.run(document, { resultTypes: ['violations'] });
          return results.violations
            .filter(v => impacts.includes(v.impact))
            .map(v => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map(n => n.target.join(' ')).join(', ')}`);
        }
        """;

    public static Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page) => ViolationsAsync(page, "serious", "critical");

    /// <summary>Every violation, minor and moderate ones included.</summary>
    public static Task<IReadOnlyList<string>> AllViolationsAsync(IPage page) => ViolationsAsync(page, "minor", "moderate", "serious", "critical");

    private static async Task<IReadOnlyList<string>> ViolationsAsync(IPage page, params string[] impacts)
    {
        var script = Path.Combine(RepositoryRoot.NodeModule("axe-core"), "axe.min.js");
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = script });
        var violations = await page.EvaluateAsync<JsonElement>(Run, impacts);
        return violations.EnumerateArray().Select(v => v.GetString()!).ToList();
    }
}
