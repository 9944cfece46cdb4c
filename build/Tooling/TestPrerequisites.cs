using Depoxy.Build.Engine;

/// <summary>Installs or checks what the tests need, so a clean clone runs ./build.sh Test with nothing done by hand.</summary>
static class TestPrerequisites
{
    public static async Task EnsureAsync(string root)
    {
        if (Tool.FindOnPath("moto_server") is null)
            throw new BuildException("moto_server not found on PATH: install it with pip install 'moto[server]' (the integration tests run against it)");
        if (Tool.FindOnPath("node") is null || Tool.FindOnPath("npm") is null)
            throw new BuildException("node and npm not found on PATH: install Node.js 20 (the tests use npm tools from tests/tools)");

        var tools = Path.Combine(root, "tests", "tools");
        var marker = Path.Combine(tools, "node_modules", ".package-lock.json");
        if (!File.Exists(marker) || File.GetLastWriteTimeUtc(marker) < File.GetLastWriteTimeUtc(Path.Combine(tools, "package-lock.json")))
            await Tool.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], tools);

        if (!File.Exists("/usr/bin/chromium") && OperatingSystem.IsLinux())
        {
            if (Environment.UserName != "root")
                throw new BuildException("chromium not found: install it with sudo apt-get install -y chromium (the browser tests drive it)");
            await Tool.RunAsync("apt-get", ["update", "-qq"]);
            await Tool.RunAsync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "chromium"],
                environment: new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" });
        }
    }

}
