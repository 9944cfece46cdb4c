using System.Diagnostics;
using System.IO.Compression;
using Depoxy.Build.Engine;

namespace Depoxy.Emulator;

/// <summary>
/// Runs the very api.zip as Lambda and the Web Adapter would: unpacked, its handler (the custom runtime's
/// <c>bootstrap</c>) started with PORT set and the function's environment, so the emulator's smoke test reads
/// /api/v1/health from the deployed bytes.
/// </summary>
public sealed class LocalApiHost : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private LocalApiHost(Process process, string folder, Uri baseAddress)
    {
        _process = process;
        _folder = folder;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<LocalApiHost> StartAsync(Stream apiZip, string handlerName, IReadOnlyDictionary<string, string?> environment, CancellationToken cancellationToken = default)
    {
        var folder = Directory.CreateTempSubdirectory("depoxy-api-").FullName;
        await ZipFile.ExtractToDirectoryAsync(apiZip, folder, cancellationToken);
        var handler = Path.Combine(folder, handlerName);
        if (!File.Exists(handler))
            throw new BuildException($"api.zip has no {handlerName} at its root, the function's handler: Lambda could not start it either; package the API again");

        var port = Loopback.FreePort();
        var start = new ProcessStartInfo(handler)
        {
            WorkingDirectory = folder,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment)
            if (value is null) start.Environment.Remove(key);
            else start.Environment[key] = value;
        start.Environment["PORT"] = port.ToString();
        start.Environment["AWS_LWA_PORT"] = port.ToString();
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        var process = Process.Start(start) ?? throw new BuildException($"could not start api.zip's {handlerName}");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Log.Debug("api | " + e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Log.Debug("api | " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Log.Info($"Started api.zip's {handlerName} on 127.0.0.1:{port}");
        return new LocalApiHost(process, folder, new Uri($"http://127.0.0.1:{port}"));
    }

    public bool HasExited => _process.HasExited;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

}
