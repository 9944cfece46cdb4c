using Depoxy.Build.Engine;

static class DotNet
{
    public static Task RunAsync(string root, params string[] arguments) =>
        Tool.RunAsync("dotnet", [.. arguments, "--nologo"], root, new Dictionary<string, string?>
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        });
}
