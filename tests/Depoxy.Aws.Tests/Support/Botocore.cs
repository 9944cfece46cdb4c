using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;

namespace Depoxy.Aws.Tests.Support;

/// <summary>botocore's service models and waiters, the reference for every wire-format assertion.</summary>
public static class Botocore
{
    private static readonly Lazy<string> Data = new(FindDataDirectory);

    public static JsonElement ServiceModel(string service, string apiVersion)
    {
        using var file = File.OpenRead(Path.Combine(Data.Value, service, apiVersion, "service-2.json.gz"));
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        return JsonDocument.Parse(gzip).RootElement.Clone();
    }

    public static JsonElement Waiters(string service, string apiVersion) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Data.Value, service, apiVersion, "waiters-2.json"))).RootElement.Clone();

    private static string FindDataDirectory()
    {
        if (Environment.GetEnvironmentVariable("BOTOCORE_DATA") is { Length: > 0 } configured) return configured;
        var start = new ProcessStartInfo("python3")
        {
            ArgumentList = { "-c", "import botocore, os; print(os.path.join(os.path.dirname(botocore.__file__), 'data'))" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var python = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var output = python.StandardOutput.ReadToEnd().Trim();
        python.WaitForExit();
        if (python.ExitCode != 0 || !Directory.Exists(output))
            throw new InvalidOperationException("botocore's models not found: pip install botocore (or set BOTOCORE_DATA to its data folder)");
        return output;
    }
}
