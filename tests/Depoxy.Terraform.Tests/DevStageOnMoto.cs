using System.Diagnostics;
using System.Security.Cryptography;
using Amazon.S3.Model;
using Depoxy.Aws;
using Depoxy.Packaging;
using Depoxy.Packaging.Zip;
using Depoxy.Testing;

namespace Depoxy.Terraform.Tests;

[CollectionDefinition(Name)]
public sealed class DevStageCollection : ICollectionFixture<DevStageOnMoto>
{
    public const string Name = "dev's stacks applied to moto by real Terraform";
}

/// <summary>
/// dev's three stacks planned and applied by the build's own runner, with real Terraform and the AWS provider from
/// the machine's mirror, against moto bootstrapped as the emulator does it: tf/ci first, the modules published to
/// its modules bucket at their VERSIONs and installed from there, a release's api.zip in dev's artifacts bucket.
/// The api.zip is a small stand-in: Terraform needs its bytes and hash, not a runnable API (the pipeline tests run the real one).
/// </summary>
public sealed class DevStageOnMoto : IAsyncLifetime
{
    public const string Version = "20260101.000000-gabc1234";
    public static readonly IReadOnlyList<TerraformStack> Stacks = TerraformStack.Select("dev", null);

    public EmulatedAccount Account { get; } = new();

    public TerraformRunner Runner { get; private set; } = null!;

    public IReadOnlyList<StackOutputs> Applied { get; private set; } = [];

    public TimeSpan FirstPlan { get; private set; }

    public TimeSpan FirstApply { get; private set; }

    public async Task InitializeAsync()
    {
        await Account.InitializeAsync();
        var aws = Account.Moto.Aws;
        var artifactsBucket = EmulatedAccount.Parameter("ArtifactsBucket", "dev");
        using var s3 = S3ClientFactory.Create(aws);
        await PublishModulesAsync(s3, EmulatedAccount.Parameter("ModulesBucket", "dev"));
        var hash = await PublishStandInApiAsync(s3, artifactsBucket);

        var settings = new TerraformSettings(RepositoryRoot.Path, EmulatedAccount.Parameter("StateBucket", "dev"), artifactsBucket, "eu-west-1", Version,
            "0123456789abcdef0123456789abcdef01234567")
        {
            ArtifactsDirectory = Path.Combine(Account.Scratch, "artifacts"),
            WorkDirectory = Path.Combine(Account.Scratch, "terraform"),
            SourceCodeHash = hash,
            Modules = new ModuleEndpoint(Account.Moto.Endpoint.ToString(), "testing", "testing", "eu-west-1"),
            ApiVariables = new Dictionary<string, string> { ["lambda-layers"] = $"[\"{await Account.Account.WebAdapterLayerArnAsync()}\"]" },
        };
        Runner = new TerraformRunner(settings, Account.Terraform);
        var clock = Stopwatch.StartNew();
        await Runner.PlanAsync(Stacks);
        FirstPlan = clock.Elapsed;
        clock.Restart();
        Applied = await Runner.ApplyAsync(Stacks);
        FirstApply = clock.Elapsed;
    }

    public Task DisposeAsync() => Account.DisposeAsync();

    /// <summary>Every module at its VERSION, zipped as Package zips it, put as PublishModules puts it (immutably).</summary>
    private async Task PublishModulesAsync(Amazon.S3.IAmazonS3 s3, string bucket)
    {
        foreach (var module in ModuleSource.Discover(RepositoryRoot.Path))
        {
            var zip = Path.Combine(Account.Scratch, module.ZipFileName);
            DeterministicZip.CreateFile(zip, module.Files());
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = module.Key, FilePath = zip, IfNoneMatch = "*" });
        }
    }

    private static async Task<string> PublishStandInApiAsync(Amazon.S3.IAmazonS3 s3, string bucket)
    {
        var bytes = "stand-in api.zip: Terraform needs its bytes and hash, not a runnable API"u8.ToArray();
        var hash = Convert.ToBase64String(SHA256.HashData(bytes));
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = ReleaseManifest.ApiKey(Version), InputStream = new MemoryStream(bytes), IfNoneMatch = "*" });
        return hash;
    }
}
