using System.Text.Json;
using Depoxy.Testing;
using Microsoft.Playwright;

namespace Depoxy.Web.Tests;

/// <summary>Runs axe-core (from tests/tools/node_modules) inside the page and returns its serious and critical violations.</summary>
public static class Axe
{
    private const string Run = """
        async () => {
          const results = await axe.run(document, { resultTypes: ['violations'] });
          return results.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map(n => n.target.join(' ')).join(', ')}`);
        }
        """;

    public static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page)
    {
        var script = Path.Combine(RepositoryRoot.NodeModule("axe-core"), "axe.min.js");
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = script });
        var violations = await page.EvaluateAsync<JsonElement>(Run);
        return violations.EnumerateArray().Select(v => v.GetString()!).ToList();
    }
}
