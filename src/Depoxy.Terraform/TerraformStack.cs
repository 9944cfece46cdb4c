namespace Depoxy.Terraform;

/// <summary>One Terraform root module of a stage: <c>tf/&lt;stage&gt;/&lt;stack&gt;</c>, with its own state.</summary>
public sealed record TerraformStack
{
    public static readonly IReadOnlyList<string> Stages = ["dev", "prod"];
    public static readonly IReadOnlyList<string> Names = ["api", "www", "app"];

    public TerraformStack(string stage, string name)
    {
        if (!Stages.Contains(stage))
            throw new TerraformException($"Unknown stage '{stage}': use one of {string.Join(", ", Stages)}.");
        if (!Names.Contains(name))
            throw new TerraformException($"Unknown stack '{name}': use one of {string.Join(", ", Names)}, or omit --stack for all three.");
        Stage = stage;
        Name = name;
    }

    private TerraformStack(string name) => (Stage, Name) = (name, name);

    /// <summary>tf/ci: the account's CI roles and buckets, applied by an administrator; the build only plans it, read-only.</summary>
    public static TerraformStack Ci { get; } = new("ci");

    public string Stage { get; }
    public string Name { get; }

    public bool IsCi => this == Ci;

    /// <summary>The state object key inside the state bucket.</summary>
    public string StateKey => IsCi ? "ci/terraform.tfstate" : $"{Stage}/{Name}/terraform.tfstate";

    public string Directory(string rootDirectory) => IsCi ? Path.Combine(rootDirectory, "tf", "ci") : Path.Combine(rootDirectory, "tf", Stage, Name);

    public override string ToString() => IsCi ? "ci" : $"{Stage}/{Name}";

    /// <summary>The stacks a Plan/Apply run covers: the named one, or all three (the runner plans and applies them side by side).</summary>
    public static IReadOnlyList<TerraformStack> Select(string stage, string? stack) =>
        string.IsNullOrWhiteSpace(stack)
            ? [.. Names.Select(n => new TerraformStack(stage, n))]
            : [new TerraformStack(stage, stack.Trim().ToLowerInvariant())];
}
