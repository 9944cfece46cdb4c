using Depoxy.Testing;

namespace Depoxy.Sites.Tests;

[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "Sites on moto";
}
