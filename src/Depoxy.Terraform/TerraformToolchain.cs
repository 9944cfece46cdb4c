using System.Text.RegularExpressions;

namespace Depoxy.Terraform;

/// <summary>
/// The terraform binary and the CLI configuration every terraform process of the build gets. The rule, in order:
/// <list type="number">
/// <item><c>TF_CLI_CONFIG_FILE</c>, when it names a file that exists, is honoured as it is; for an offline run it must
/// name a mirror, else the build writes a copy completed with the local mirror (a config without
/// <c>provider_installation</c>) or refuses it (one whose installation methods name no mirror);</item>
/// <item>else a local provider mirror (the folder holding <c>registry.terraform.io</c>): <c>DEPOXY_TF_PROVIDER_MIRROR</c>,
/// then the known places in <see cref="KnownMirrors"/>; the build writes a CLI config naming it;</item>
/// <item>else Terraform's defaults (the public registry), which only a run against AWS may use: offline runs
/// (<c>--emulator</c>) fail naming what is missing.</item>
/// </list>
/// </summary>
public sealed partial record TerraformToolchain(string Executable, string? CliConfigFile)
{
    public const string MirrorVariable = "DEPOXY_TF_PROVIDER_MIRROR";
    public const string CliConfigVariable = "TF_CLI_CONFIG_FILE";

    public static IReadOnlyList<string> KnownMirrors(IReadOnlyDictionary<string, string?> variables)
    {
        var home = variables.GetValueOrDefault("HOME") ?? System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
        var dataHome = variables.GetValueOrDefault("XDG_DATA_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(home, ".local", "share");
        return
        [
            "/opt/tf-plugins",
            Path.Combine(home, ".terraform.d", "plugins"),
            Path.Combine(dataHome, "terraform", "plugins"),
            "/usr/local/share/terraform/plugins",
            "/usr/share/terraform/plugins",
        ];
    }

    /// <summary>The variables every terraform process gets: never prompt, CI-style output, this CLI config.</summary>
    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        ["TF_IN_AUTOMATION"] = "1",
        ["TF_INPUT"] = "0",
        // Null removes a variable that names a missing file: Terraform would warn about it and use its defaults.
        [CliConfigVariable] = CliConfigFile,
    };

    /// <summary>Finds terraform and its CLI configuration by the rule above, writing the config into <paramref name="scratchDirectory"/>.</summary>
    public static TerraformToolchain Resolve(IReadOnlyDictionary<string, string?> variables, string scratchDirectory, bool offline)
    {
        var executable = TerraformExecutable.Find(variables.GetValueOrDefault(TerraformExecutable.OverrideVariable), variables.GetValueOrDefault("PATH"));
        if (variables.GetValueOrDefault(CliConfigVariable) is { Length: > 0 } configured && File.Exists(configured))
            return new TerraformToolchain(executable, offline ? OfflineConfig(Path.GetFullPath(configured), variables, scratchDirectory) : Path.GetFullPath(configured));

        if (FindMirror(variables) is { } mirror)
        {
            Directory.CreateDirectory(scratchDirectory);
            var config = Path.Combine(scratchDirectory, "terraform.tfrc");
            File.WriteAllText(config, MirrorConfig(mirror));
            return new TerraformToolchain(executable, config);
        }
        if (offline)
            throw new TerraformException(
                $"terraform's AWS provider (hashicorp/aws) was not found in a local mirror, and the emulator runs offline: set {MirrorVariable} to the folder " +
                $"holding registry.terraform.io (e.g. from `terraform providers mirror <dir>` on a connected machine), or {CliConfigVariable} to a CLI config that names one.");
        return new TerraformToolchain(executable, null);
    }

    /// <summary>
    /// The configured CLI config, as long as it names a mirror; else, when it chooses no installation method at all,
    /// a copy with the local mirror's <c>provider_installation</c> added, so the emulator's terraform never turns to
    /// the public registry.
    /// </summary>
    private static string OfflineConfig(string configured, IReadOnlyDictionary<string, string?> variables, string scratchDirectory)
    {
        var text = File.ReadAllText(configured);
        if (MirrorMethod().IsMatch(text)) return configured;
        if (InstallationBlock().IsMatch(text))
            throw new TerraformException(
                $"{CliConfigVariable}={configured} installs providers without a filesystem_mirror or network_mirror, so the emulator's terraform would reach " +
                $"for the public registry: add a filesystem_mirror block naming the folder that holds registry.terraform.io, or unset {CliConfigVariable}.");
        var mirror = FindMirror(variables) ?? throw new TerraformException(
            $"{CliConfigVariable}={configured} names no provider mirror and none was found, and the emulator runs offline: set {MirrorVariable} to the folder " +
            $"holding registry.terraform.io, or add a provider_installation block with a filesystem_mirror to {configured}.");
        Directory.CreateDirectory(scratchDirectory);
        var completed = Path.Combine(scratchDirectory, "terraform.tfrc");
        File.WriteAllText(completed, text.TrimEnd() + "\n\n# Added by the build: the emulator runs offline.\n" + MirrorConfig(mirror));
        return completed;
    }

    [GeneratedRegex(@"^\s*(filesystem_mirror|network_mirror)\b", RegexOptions.Multiline)]
    private static partial Regex MirrorMethod();

    [GeneratedRegex(@"^\s*provider_installation\b", RegexOptions.Multiline)]
    private static partial Regex InstallationBlock();

    public static string? FindMirror(IReadOnlyDictionary<string, string?> variables)
    {
        if (variables.GetValueOrDefault(MirrorVariable) is { Length: > 0 } named)
            return HoldsAwsProvider(named)
                ? Path.GetFullPath(named)
                : throw new TerraformException($"{MirrorVariable}={named} holds no registry.terraform.io/hashicorp/aws provider: point it at the folder that holds registry.terraform.io.");
        return KnownMirrors(variables).FirstOrDefault(HoldsAwsProvider);
    }

    public static string MirrorConfig(string mirror) =>
        $$"""
          provider_installation {
            filesystem_mirror {
              path    = "{{mirror.Replace("\\", "/")}}"
              include = ["registry.terraform.io/*/*"]
            }
            direct {
              exclude = ["registry.terraform.io/*/*"]
            }
          }
          """;

    private static bool HoldsAwsProvider(string mirror)
    {
        var provider = Path.Combine(mirror, "registry.terraform.io", "hashicorp", "aws");
        return Directory.Exists(provider) && Directory.EnumerateFileSystemEntries(provider).Any();
    }
}
