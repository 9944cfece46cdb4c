using Depoxy.Testing;

using Depoxy.Testing.Iam;

namespace Depoxy.Iam.Tests;

[CollectionDefinition(Name)]
public sealed class CiStackCollection : ICollectionFixture<CiStack>
{
    public const string Name = "tf/ci applied to moto";
}

/// <summary>
/// tf/ci applied by real Terraform (1.11, the provider from the machine's filesystem mirror) to moto exactly as the
/// emulator bootstraps an account (<see cref="EmulatedAccount"/>), and the policies it created read back from moto's
/// IAM and S3 for the simulator.
/// </summary>
public sealed class CiStack : IAsyncLifetime
{
    public const string Repository = "acme/depoxy";

    private readonly EmulatedAccount _account = new(Repository);

    public CiPolicies Policies { get; private set; } = null!;

    /// <summary><c>terraform output -json</c> of tf/ci: output name → value.</summary>
    public IReadOnlyDictionary<string, string> Outputs { get; private set; } = null!;

    public TimeSpan ApplyTime => _account.BootstrapTime;

    public async Task InitializeAsync()
    {
        await _account.InitializeAsync();
        Outputs = await _account.Account.CiOutputsAsync();
        Policies = await new CiPolicyReader(_account.Moto.Aws, _account.Moto.Endpoint).ReadAsync();
    }

    public Task DisposeAsync() => _account.DisposeAsync();
}
