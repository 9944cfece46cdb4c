using Depoxy.Build.Engine;

namespace Depoxy.Terraform;

/// <summary>The commit being built: GITHUB_SHA in Actions, else the checkout's HEAD.</summary>
public static class GitCommit
{
    public static async Task<string> ResolveAsync(string rootDirectory, CancellationToken cancellationToken = default)
    {
        if (Environment.GetEnvironmentVariable("GITHUB_SHA") is { Length: > 0 } sha) return sha;
        try
        {
            var result = await Tool.RunAsync("git", ["rev-parse", "HEAD"], rootDirectory, echoOutput: false, cancellationToken: cancellationToken);
            return result.StandardOutput.Trim();
        }
        catch (ToolException e)
        {
            throw new TerraformException($"Cannot tell the commit of {rootDirectory} ({e.Message.Split('\n')[0]}): run the build from a git checkout or set GITHUB_SHA.");
        }
    }
}
