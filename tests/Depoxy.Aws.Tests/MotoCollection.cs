using Depoxy.Testing;

namespace Depoxy.Aws.Tests;

[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "moto (Depoxy.Aws.Tests)";
}
