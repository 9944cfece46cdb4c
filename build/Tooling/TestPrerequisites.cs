using Depoxy.Build.Engine;
using Depoxy.Terraform;

/// <summary>
/// Installs or checks what the chosen test tiers need (all of them when none is chosen), so a clean clone runs
/// ./build.sh Test with nothing done by hand, and the fast tier needs neither terraform nor Chromium.
/// </summary>
static class TestPrerequisites
{
    public static async Task EnsureAsync(string root, IReadOnlyCollection<TestTier> tiers)
    {
        bool Needs(TestTier tier) => tiers.Count == 0 || tiers.Contains(tier);
        if (Tool.FindOnPath("moto_server") is null)
            throw new BuildException("moto_server not found on PATH: install it with pip install 'moto[server]' (the integration tests run against it)");
        if (Needs(TestTier.terraform))
        {
            // The Terraform tests run the real terraform and AWS provider, offline: missing either fails here, in one line, never skips.
            var variables = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value);
            var terraform = TerraformToolchain.Resolve(variables, Path.Combine(root, ".nuke", "temp"), offline: true);
            Log.Info($"Terraform for the tests: {terraform.Executable}, CLI config {terraform.CliConfigFile}");
        }
        if (Tool.FindOnPath("node") is null || Tool.FindOnPath("npm") is null)
            throw new BuildException("node and npm not found on PATH: install Node.js 20 (the tests use npm tools from tests/tools)");

        var tools = Path.Combine(root, "tests", "tools");
        var marker = Path.Combine(tools, "node_modules", ".package-lock.json");
        if (!File.Exists(marker) || File.GetLastWriteTimeUtc(marker) < File.GetLastWriteTimeUtc(Path.Combine(tools, "package-lock.json")))
            await Tool.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], tools);

        if (Needs(TestTier.browser) && !File.Exists("/usr/bin/chromium") && OperatingSystem.IsLinux())
        {
            if (Environment.UserName != "root")
                throw new BuildException("chromium not found: install it with sudo apt-get install -y chromium (the browser tests drive it)");
            Log.Always("Installing Debian's chromium for the browser tests: apt-get update && apt-get install chromium (once per machine)");
            await Tool.RunAsync("apt-get", ["update", "-qq"]);
            await Tool.RunAsync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "chromium"],
                environment: new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" });
        }
    }
}
