namespace Depoxy.Terraform;

/// <summary>
/// The exact argv of every terraform call the build makes, in one place so the tests pin it. -no-color keeps ANSI
/// escapes out of logs and of the error messages built from stderr.
/// </summary>
public static class TerraformArguments
{
    public static IReadOnlyList<string> Init(TerraformSettings settings, TerraformStack stack) =>
    [
        "init", "-input=false", "-no-color", "-reconfigure",
        $"-backend-config=bucket={settings.StateBucket}",
        $"-backend-config=key={stack.StateKey}",
        $"-backend-config=region={settings.Region}",
        "-backend-config=use_lockfile=true",
    ];

    public static IReadOnlyList<string> Plan(TerraformSettings settings, TerraformStack stack) =>
    [
        "plan", "-input=false", "-no-color", .. Lock(settings), $"-out={settings.PlanFile(stack)}",
        .. Variables(settings, stack).Select(v => $"-var={v.Key}={v.Value}"),
    ];

    private static IReadOnlyList<string> Lock(TerraformSettings settings) =>
        settings.LockState ? [$"-lock-timeout={settings.LockTimeout}"] : ["-lock=false"];

    public static IReadOnlyList<string> Show(string planFile) => ["show", "-json", planFile];

    public static IReadOnlyList<string> Apply(TerraformSettings settings, string planFile) =>
        ["apply", "-input=false", "-no-color", $"-lock-timeout={settings.LockTimeout}", planFile];

    /// <summary>Reads every resource back into the state, changing nothing else: run right after an apply.</summary>
    public static IReadOnlyList<string> RefreshOnly(TerraformSettings settings, TerraformStack stack) =>
    [
        "apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color", $"-lock-timeout={settings.LockTimeout}",
        .. Variables(settings, stack).Select(v => $"-var={v.Key}={v.Value}"),
    ];

    public static IReadOnlyList<string> Output() => ["output", "-json"];

    public static IReadOnlyList<string> Version() => ["version", "-json"];

    /// <summary>Only the api stack takes variables: which package to deploy, where it is and its hash (and any the caller adds).</summary>
    public static IReadOnlyDictionary<string, string> Variables(TerraformSettings settings, TerraformStack stack) =>
        stack.IsCi ? settings.CiVariables
        : stack.Name == "api"
            ? new Dictionary<string, string>(settings.ApiVariables)
            {
                ["lambda-function-version"] = settings.Version,
                ["lambda-function-s3-bucket-name"] = settings.ArtifactsBucket,
                ["lambda-function-source-code-hash"] = settings.SourceCodeHash,
            }
            : new Dictionary<string, string>();
}
