using Depoxy.Testing;

namespace Depoxy.GitHub.Tests;

public static class Workflows
{
    public static string Folder => RepositoryRoot.Combine(".github", "workflows");

    public static IReadOnlyList<string> All =>
        [.. Directory.EnumerateFiles(Folder, "*.yml").Concat(Directory.EnumerateFiles(Folder, "*.yaml")).Order(StringComparer.Ordinal)];

    public static string Combine(string name) => Path.Combine(Folder, name);

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
}
