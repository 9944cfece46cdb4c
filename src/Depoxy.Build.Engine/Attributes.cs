namespace Depoxy.Build.Engine;

/// <summary>Marks a field or property as a build parameter: <c>--kebab-case</c>, environment, or parameters.json.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ParameterAttribute(string? description = null) : Attribute
{
    public string? Description { get; } = description;

    /// <summary>Overrides the name derived from the member (PascalCase; the option is its kebab-case form).</summary>
    public string? Name { get; init; }
}

/// <summary>A parameter whose value is masked in every line the build prints and never read from committed files.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute;
