using System.Diagnostics;
using System.Text.Json;
using Depoxy.Aws;
using Depoxy.Build.Engine;

namespace Depoxy.Emulator;

/// <summary>
/// The offline AWS of <c>--emulator</c>: a moto_server on a free loopback port that outlives the build process,
/// so Deploy, Promote, Rollback and Releases can run one after another; its port is kept in .nuke/temp.
/// </summary>
public sealed record EmulatorServer(int Port, int ProcessId)
{
    public const string AccountId = "123456789012";
    public const string InstallHint = "moto_server not found on PATH: install it with pip install 'moto[server]' (the emulator is moto)";

    public Uri Endpoint => new($"http://127.0.0.1:{Port}");

    /// <summary>What every AWS client and child process of an emulator run sees.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables => new Dictionary<string, string>
    {
        ["AWS_ENDPOINT_URL"] = Endpoint.ToString().TrimEnd('/'),
        ["AWS_ACCESS_KEY_ID"] = "emulator",
        ["AWS_SECRET_ACCESS_KEY"] = "emulator",
        // Not AWS_REGION: with it set, AWSSDK.S3 sends a CreateBucket location constraint moto rejects.
        ["AWS_DEFAULT_REGION"] = "eu-west-1",
    };

    public AwsEnvironment Aws => AwsEnvironment.ForEndpoint(Endpoint);

    public static string StateFile(string root) => Path.Combine(root, ".nuke", "temp", "emulator.json");

    public static async Task<EmulatorServer> StartOrAttachAsync(string root, CancellationToken cancellationToken = default)
    {
        if (await AttachAsync(root, cancellationToken) is { } running)
        {
            Log.Info($"Emulator: moto_server already running on {running.Endpoint} (pid {running.ProcessId})");
            return running;
        }
        var executable = Tool.FindOnPath("moto_server") ?? throw new BuildException(InstallHint);
        var port = Loopback.FreePort();
        var log = Path.Combine(root, ".nuke", "temp", "emulator.log");
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        // setsid detaches it from the build's session, so it keeps running after ./build.sh exits.
        var start = await Tool.RunAsync("sh",
            ["-c", $"setsid '{executable}' -H 127.0.0.1 -p {port} > '{log}' 2>&1 < /dev/null & echo $!"],
            root, echoOutput: false, cancellationToken: cancellationToken);
        var server = new EmulatorServer(port, int.Parse(start.StandardOutput.Trim()));
        await server.WaitUntilReadyAsync(cancellationToken);
        await File.WriteAllTextAsync(StateFile(root), JsonSerializer.Serialize(server), cancellationToken);
        Log.Info($"Emulator: started moto_server on {server.Endpoint} (pid {server.ProcessId}); ./build.sh EmulatorStop stops it");
        return server;
    }

    public static async Task<EmulatorServer?> AttachAsync(string root, CancellationToken cancellationToken = default)
    {
        var file = StateFile(root);
        if (!File.Exists(file)) return null;
        var server = JsonSerializer.Deserialize<EmulatorServer>(await File.ReadAllTextAsync(file, cancellationToken));
        return server is not null && await server.AnswersAsync(cancellationToken) ? server : null;
    }

    public static async Task<bool> StopAsync(string root, CancellationToken cancellationToken = default)
    {
        var file = StateFile(root);
        if (!File.Exists(file)) return false;
        var server = JsonSerializer.Deserialize<EmulatorServer>(await File.ReadAllTextAsync(file, cancellationToken));
        File.Delete(file);
        if (server is null) return false;
        try
        {
            using var process = Process.GetProcessById(server.ProcessId);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(cancellationToken);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (await AnswersAsync(cancellationToken)) return;
            await Task.Delay(200, cancellationToken);
        }
        throw new BuildException($"the emulator (moto_server on port {Port}) did not answer within 60 s: see .nuke/temp/emulator.log");
    }

    private async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var response = await http.GetAsync(new Uri(Endpoint, "/moto-api/"), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }


}
