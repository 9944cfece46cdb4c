using System.Diagnostics;
using System.Text;
using Depoxy.Testing;

namespace Depoxy.Web.Tests;

public sealed record ApiConfiguration(Uri AppOrigin)
{
    public string JwtSecretId => "test/depoxy/api-signing-key";
    public string SenderAddress => "login@send.depoxy.dev";
    public string Bucket => "depoxy-web-tests";
}

/// <summary>
/// The real API as production runs it: <c>dotnet Depoxy.Api.dll</c> (built next to this test assembly through the
/// project reference) on Kestrel, configured only through DEPOXY_API_* and AWS_* variables pointing at moto.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;

    private ApiProcess(Process process, StringBuilder output, Uri address)
    {
        _process = process;
        _output = output;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<ApiProcess> StartAsync(MotoServer moto, ApiConfiguration config, Uri address)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Depoxy.Api.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} is missing: build tests/Depoxy.Web.Tests");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--urls", address.ToString().TrimEnd('/') },
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in moto.EnvironmentVariables) start.Environment[name] = value;
        start.Environment["DEPOXY_API_STAGE"] = "test";
        start.Environment["DEPOXY_API_COOKIE_MAX_AGE_DAYS"] = "1";
        start.Environment["DEPOXY_API_COOKIE_SECURITY"] = "false";
        start.Environment["DEPOXY_API_CORS_ALLOW_ORIGIN"] = config.AppOrigin.GetLeftPart(UriPartial.Authority);
        start.Environment["DEPOXY_API_JWT_ALGORITHM"] = "ES256";
        start.Environment["DEPOXY_API_JWT_AUDIENCE"] = "DepoxyTest";
        start.Environment["DEPOXY_API_JWT_SECRET_ID"] = config.JwtSecretId;
        start.Environment["DEPOXY_API_S3_BUCKET"] = config.Bucket;
        start.Environment["DEPOXY_API_S3_PREFIX"] = "api";
        start.Environment["DEPOXY_API_SES_SENDER_ADDRESS"] = config.SenderAddress;
        start.Environment["DEPOXY_API_VERSION"] = "0.0.0-web-test";
        // Whatever the developer's shell says, the browser must meet the API as deployed stages run it.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        var output = new StringBuilder();
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet Depoxy.Api.dll did not start");
        process.OutputDataReceived += (_, line) => { lock (output) output.AppendLine(line.Data); };
        process.ErrorDataReceived += (_, line) => { lock (output) output.AppendLine(line.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var api = new ApiProcess(process, output, address);
        try
        {
            await api.WaitUntilHealthyAsync();
            return api;
        }
        catch
        {
            await api.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"the API exited with code {_process.ExitCode}:\n{Output}");
            try
            {
                using var response = await http.GetAsync(new Uri(Address, "api/v1/health"));
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"the API did not answer /api/v1/health on {Address} within 60 s:\n{Output}");
    }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>Where the API's JSON log lands when it stops, to read when a browser test fails.</summary>
    public static string LogFile => RepositoryRoot.Combine("artifacts", "web", "api.log");

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process.Dispose();
        Directory.CreateDirectory(Path.GetDirectoryName(LogFile)!);
        await File.WriteAllTextAsync(LogFile, Output);
    }
}
