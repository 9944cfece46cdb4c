using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Depoxy.Aws;
using Depoxy.Build.Engine;

namespace Depoxy.Emulator;

/// <summary>
/// The offline AWS of <c>--emulator</c>: moto on a free loopback port, started through depoxy_moto.py (moto_server
/// plus the named stand-ins the README lists), outliving the build process so Deploy, Promote, Rollback and
/// Releases can run one after another; its port is kept in .nuke/temp.
/// </summary>
public sealed record EmulatorServer(int Port, int ProcessId)
{
    public const string AccountId = "123456789012";
    public const string Region = "eu-west-1";
    public const string InstallHint = "moto is not installed for python3: install it with pip install 'moto[server]' (the emulator is moto)";

    [JsonIgnore]
    public Uri Endpoint => new($"http://127.0.0.1:{Port}");

    [JsonIgnore]
    public AwsEnvironment Aws => AwsEnvironment.ForEndpoint(Endpoint, Region);

    /// <summary>The launcher of moto with the emulator's stand-ins, shipped beside this assembly.</summary>
    public static string Launcher => Path.Combine(AppContext.BaseDirectory, "moto", "depoxy_moto.py");

    public static string StateFile(string root) => Path.Combine(root, ".nuke", "temp", "emulator.json");

    public static async Task<EmulatorServer> StartOrAttachAsync(string root, CancellationToken cancellationToken = default)
    {
        if (await AttachAsync(root, cancellationToken) is { } running)
        {
            Log.Info($"Emulator: moto_server already running on {running.Endpoint} (pid {running.ProcessId})");
            return running;
        }
        var python = Tool.FindOnPath("python3") ?? throw new BuildException(InstallHint);
        var port = Loopback.FreePort();
        var log = Path.Combine(root, ".nuke", "temp", "emulator.log");
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        // setsid detaches it from the build's session, so it keeps running after ./build.sh exits.
        // moto runs botocore, which reads the AWS profile and credentials of its environment: it gets the emulator's own,
        // so whatever the user's shell holds (a missing profile included) neither breaks it nor reaches it.
        var start = await Tool.RunAsync("sh",
            ["-c", $"setsid '{python}' '{Launcher}' -H 127.0.0.1 -p {port} > '{log}' 2>&1 < /dev/null & echo $!"],
            root, AwsEnvironment.ForEndpoint(new Uri($"http://127.0.0.1:{port}"), Region).ChildProcessVariables, echoOutput: false, cancellationToken: cancellationToken);
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
            if (!IsRunning())
                throw new BuildException($"the emulator (moto on port {Port}) exited at start: see .nuke/temp/emulator.log; {InstallHint}");
            await Task.Delay(200, cancellationToken);
        }
        throw new BuildException($"the emulator (moto on port {Port}) did not answer within 60 s: see .nuke/temp/emulator.log");
    }

    private bool IsRunning()
    {
        try
        {
            using var process = Process.GetProcessById(ProcessId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
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
