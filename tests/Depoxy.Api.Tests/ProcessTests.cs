using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Depoxy.Api.Tests.Support;
using Depoxy.Testing;

namespace Depoxy.Api.Tests;

[CollectionDefinition(Name)]
public sealed class ProcessCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "Depoxy API as a process";
}

/// <summary>The built API as a process, configured only through its environment, as Lambda and the browser tests start it.</summary>
[Collection(ProcessCollection.Name)]
public sealed class ProcessTests(MotoServer moto) : IAsyncLifetime
{
    private static readonly string Output = AppContext.BaseDirectory;

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        await MotoSeeder.SeedAsync(moto, ApiFixture.Bucket, ApiFixture.SecretId, Convert.ToBase64String(key.ExportECPrivateKey()), ApiFixture.Sender);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private ProcessStartInfo Start(string executable, IReadOnlyDictionary<string, string?> variables, params string[] arguments)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = Path.GetTempPath(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("DEPOXY_API_", StringComparison.Ordinal) || k is "PORT" or "AWS_LWA_PORT" or "ASPNETCORE_URLS").ToList())
            start.Environment.Remove(name);
        foreach (var (name, value) in moto.EnvironmentVariables) start.Environment[name] = value;
        foreach (var (name, value) in variables)
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        return start;
    }

    [Fact]
    public async Task Bad_configuration_exits_non_zero_with_one_line_per_bad_variable()
    {
        var variables = ApiFixture.Settings();
        variables["DEPOXY_API_STAGE"] = null;
        variables["DEPOXY_API_COOKIE_MAX_AGE_DAYS"] = "forever";
        variables["DEPOXY_API_CORS_ALLOW_ORIGIN"] = "*";
        variables["DEPOXY_API_JWT_ALGORITHM"] = "HS256";
        variables["DEPOXY_API_S3_BUCKET"] = "Not_A_Bucket";
        variables["PORT"] = "eighty";

        using var process = Process.Start(Start("dotnet", variables, Path.Combine(Output, "Depoxy.Api.dll")))!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.NotEqual(0, process.ExitCode);
        var lines = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string[] bad = ["DEPOXY_API_STAGE", "DEPOXY_API_COOKIE_MAX_AGE_DAYS", "DEPOXY_API_CORS_ALLOW_ORIGIN", "DEPOXY_API_JWT_ALGORITHM", "DEPOXY_API_S3_BUCKET", "PORT"];
        Assert.Equal(bad.Length, lines.Length);
        foreach (var name in bad) Assert.Single(lines, l => l.StartsWith(name, StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", await stderr);
        Assert.Equal("", await stdout);
    }

    [Fact]
    public async Task Dll_with_urls_serves_health_and_sends_mail_through_the_endpoint_in_AWS_ENDPOINT_URL()
    {
        var port = MotoServer.FreeLoopbackPort();
        await using var api = await RunningApi.StartAsync(Start("dotnet", ApiFixture.Settings(), Path.Combine(Output, "Depoxy.Api.dll"), "--urls", $"http://127.0.0.1:{port}"), port);

        var health = await api.Http.GetFromJsonAsync<JsonElement>("/api/v1/health");
        Assert.Equal("1.2.3-test", health.GetProperty("version").GetString());

        var email = ApiFixture.NewEmail();
        using var link = await api.Http.PostAsJsonAsync("/api/v1/auth/magic-link", ApiFixture.MagicLinkBody(email));
        Assert.Equal(HttpStatusCode.Accepted, link.StatusCode);
        var hash = await MotoMailbox.LatestLinkHashAsync(moto, email);
        using var login = await api.Http.PostAsJsonAsync("/api/v1/auth/login", new { hash });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task Without_urls_it_listens_on_AWS_LWA_PORT_logs_json_and_answers_413_to_an_oversized_chunked_body()
    {
        var port = MotoServer.FreeLoopbackPort();
        var variables = ApiFixture.Settings();
        variables["AWS_LWA_PORT"] = port.ToString();
        variables["PORT"] = "1";
        await using var api = await RunningApi.StartAsync(Start("dotnet", variables, Path.Combine(Output, "Depoxy.Api.dll")), port);

        using var response = await api.Http.GetAsync("/api/v1/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var logLine = await api.FirstStdoutLineAsync();
        using var json = JsonDocument.Parse(logLine);
        Assert.True(json.RootElement.TryGetProperty("LogLevel", out _), logLine);

        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/magic-link")
        {
            Content = new PushStreamContent(new byte[2 * 1024 * 1024]),
        };
        chunked.Content.Headers.ContentType = new("application/json");
        using var tooLarge = await api.Http.SendAsync(chunked);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
    }

    /// <summary>A body of unknown length: HttpClient sends it chunked.</summary>
    private sealed class PushStreamContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    private sealed class RunningApi : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly TaskCompletionSource<string> _firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly System.Text.StringBuilder _stderr = new();

        private RunningApi(Process process, int port)
        {
            _process = process;
            Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            process.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) _firstLine.TrySetResult(line); };
            process.ErrorDataReceived += (_, e) => { lock (_stderr) _stderr.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public HttpClient Http { get; }

        public static async Task<RunningApi> StartAsync(ProcessStartInfo start, int port)
        {
            var api = new RunningApi(Process.Start(start)!, port);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline)
            {
                if (api._process.HasExited)
                    throw new Xunit.Sdk.XunitException($"the API exited with {api._process.ExitCode}: {api._stderr}");
                try
                {
                    using var response = await api.Http.GetAsync("/api/v1/health");
                    if (response.IsSuccessStatusCode) return api;
                }
                catch (HttpRequestException) { }
                await Task.Delay(100);
            }
            await api.DisposeAsync();
            throw new TimeoutException($"the API did not answer on port {port} within 60 s");
        }

        public async Task<string> FirstStdoutLineAsync() => await _firstLine.Task.WaitAsync(TimeSpan.FromSeconds(10));

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            _process.Dispose();
        }
    }
}
