namespace Depoxy.Terraform;

/// <summary>Finds the terraform binary: <c>TERRAFORM</c> if set (tests point it at a stand-in), else PATH.</summary>
public static class TerraformExecutable
{
    public const string OverrideVariable = "TERRAFORM";

    public static readonly Version MinimumVersion = new(1, 11);

    public static string NotFoundMessage =>
        $"terraform ≥ {MinimumVersion} not found on PATH: install it from https://github.com/hashicorp/setup-terraform (CI) " +
        $"or https://developer.hashicorp.com/terraform/install, or set {OverrideVariable} to its path.";

    public static string Find() =>
        Find(Environment.GetEnvironmentVariable(OverrideVariable), Environment.GetEnvironmentVariable("PATH"));

    public static string Find(string? overridePath, string? pathVariable)
    {
        if (!string.IsNullOrWhiteSpace(overridePath))
            return File.Exists(overridePath)
                ? Path.GetFullPath(overridePath)
                : throw new TerraformException($"{OverrideVariable}={overridePath} does not exist: point it at a terraform ≥ {MinimumVersion} binary or unset it.");

        var names = OperatingSystem.IsWindows() ? new[] { "terraform.exe" } : ["terraform"];
        foreach (var dir in (pathVariable ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        foreach (var name in names)
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new TerraformException(NotFoundMessage);
    }
}
