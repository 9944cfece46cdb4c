using Depoxy.Testing;

namespace Depoxy.Terraform.Tests;

internal static class Fixtures
{
    public static string Path(params string[] parts) =>
        RepositoryRoot.Combine(["tests", "Depoxy.Terraform.Tests", "Fixtures", .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(Path(parts));
}
