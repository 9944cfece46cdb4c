using System.Text.RegularExpressions;

namespace Depoxy.Terraform;

/// <summary>
/// Where terraform runs a stack: a scratch copy of <c>tf/&lt;stage&gt;/&lt;stack&gt;</c> under the build's temp folder, so
/// terraform's working files (.terraform, the lock file) never touch the checkout, and module sources can be pointed
/// at another S3 endpoint (the emulator) while the committed HCL keeps the real ones.
/// </summary>
public static partial class StackWorkspace
{
    /// <summary>Copies the stack's files (not terraform's own folders) into <paramref name="workDirectory"/>, rewriting module sources.</summary>
    public static string Prepare(string stackDirectory, string workDirectory, ModuleEndpoint? modules)
    {
        if (!Directory.Exists(stackDirectory))
            throw new TerraformException($"{stackDirectory} does not exist: the stacks live in tf/<dev|prod>/<api|www|app>.");
        Directory.CreateDirectory(workDirectory);
        foreach (var stale in Directory.EnumerateFiles(workDirectory).Where(f => !Path.GetFileName(f).StartsWith(".terraform", StringComparison.Ordinal)))
            File.Delete(stale);
        foreach (var file in Directory.EnumerateFiles(stackDirectory).Where(f => !Path.GetFileName(f).StartsWith(".terraform", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            File.WriteAllText(Path.Combine(workDirectory, Path.GetFileName(file)), file.EndsWith(".tf", StringComparison.Ordinal) ? RewriteSources(text, modules) : text);
        }
        return workDirectory;
    }

    /// <summary>Copies the modules folder (without terraform's own files) for stacks that use it by relative path.</summary>
    public static void CopyModules(string from, string to)
    {
        if (Directory.Exists(to)) Directory.Delete(to, recursive: true);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories)
                     .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith(".terraform", StringComparison.Ordinal))))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>Points every <c>s3::https://&lt;S3 host&gt;/&lt;bucket&gt;/&lt;key&gt;</c> module source at <paramref name="modules"/>; unchanged without one.</summary>
    public static string RewriteSources(string hcl, ModuleEndpoint? modules) =>
        modules is null ? hcl : S3Source().Replace(hcl, m => $"source{m.Groups["space"].Value}\"s3::{modules.Url.TrimEnd('/')}/{m.Groups["path"].Value}?{modules.Query}\"");

    [GeneratedRegex(@"source(?<space>\s*=\s*)""s3::https://[^/""]+/(?<path>[^""?]+)""")]
    private static partial Regex S3Source();
}

/// <summary>
/// An S3 endpoint for terraform's module installer, which ignores AWS_ENDPOINT_URL: its go-getter takes the host,
/// credentials and region from the source URL itself, and without credentials there it goes to AWS.
/// </summary>
public sealed record ModuleEndpoint(string Url, string AccessKeyId, string SecretAccessKey, string Region)
{
    public string Query => $"aws_access_key_id={Uri.EscapeDataString(AccessKeyId)}&aws_access_key_secret={Uri.EscapeDataString(SecretAccessKey)}&region={Uri.EscapeDataString(Region)}";
}
