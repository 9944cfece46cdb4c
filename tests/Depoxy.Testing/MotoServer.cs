using System.Diagnostics;
using Depoxy.Aws;
using Depoxy.Build.Engine;
using Xunit;

namespace Depoxy.Testing;

/// <summary>
/// A moto_server on a free loopback port, one per test collection: our AWS for integration tests.
/// Use it as an <c>ICollectionFixture</c>; <see cref="ResetAsync"/> clears every service between tests.
/// </summary>
public sealed class MotoServer : IAsyncLifetime
{
    public const string InstallHint = Depoxy.Emulator.EmulatorServer.InstallHint;

    private Process? _process;

    public Uri Endpoint { get; private set; } = null!;

    public AwsEnvironment Aws => AwsEnvironment.ForEndpoint(Endpoint);

    /// <summary>Variables that point the AWS CLI, boto3 or a child process at this server.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables => new Dictionary<string, string>
    {
        ["AWS_ENDPOINT_URL"] = Endpoint.ToString().TrimEnd('/'),
        ["AWS_ACCESS_KEY_ID"] = "testing",
        ["AWS_SECRET_ACCESS_KEY"] = "testing",
        ["AWS_SESSION_TOKEN"] = "",
        ["AWS_DEFAULT_REGION"] = "eu-west-1",
        ["AWS_REGION"] = "eu-west-1",
        ["AWS_PROFILE"] = "",
        ["AWS_CONFIG_FILE"] = "/dev/null",
        ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
    };

    public async Task InitializeAsync()
    {
        // The emulator's own launcher: moto plus the stand-ins the README lists, so tests see the AWS the build sees.
        var python = FindOnPath("python3") ?? throw new InvalidOperationException(InstallHint);
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo(python)
        {
            ArgumentList = { Depoxy.Emulator.EmulatorServer.Launcher, "-H", "127.0.0.1", "-p", port.ToString() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("moto_server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Endpoint = new Uri($"http://127.0.0.1:{port}/");

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"moto_server exited with code {_process.ExitCode} before it answered");
            try
            {
                using var response = await http.GetAsync(new Uri(Endpoint, "moto-api/"));
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"moto_server did not answer on {Endpoint} within 60 s");
    }

    public async Task ResetAsync()
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(Endpoint, "moto-api/reset"), null);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Creates empty buckets in the server's region, as a test's starting point.</summary>
    public async Task CreateBucketsAsync(params string[] names)
    {
        using var s3 = S3ClientFactory.Create(Aws);
        foreach (var name in names)
            await s3.PutBucketAsync(new Amazon.S3.Model.PutBucketRequest
            {
                BucketName = name,
                PutBucketConfiguration = new Amazon.S3.Model.PutBucketConfiguration { LocationConstraint = new Amazon.S3.BucketLocationConstraint(Aws.Region.SystemName) },
            });
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        return Task.CompletedTask;
    }

    public static int FreeLoopbackPort() => Loopback.FreePort();

    public static string? FindOnPath(string name) => Tool.FindOnPath(name);
}
