using System.Text.Json;
using Depoxy.Build.Engine;

namespace Depoxy.Deploy;

public sealed record SmokeTestOptions
{
    public int Attempts { get; init; } = 10;

    /// <summary>Between attempts: the alias move and CloudFront's origin connection settle within seconds.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public Func<TimeSpan, CancellationToken, Task> Sleep { get; init; } = Task.Delay;
}

public sealed record SmokeTestResult(bool Passed, Uri Url, string? ReportedVersion, int Attempts, string Detail);

/// <summary>GET &lt;public url&gt;/api/v1/health until it reports the deployed version, a bounded number of times.</summary>
public sealed class SmokeTest(HttpClient http, SmokeTestOptions? options = null)
{
    public const string HealthPath = "api/v1/health";

    private readonly SmokeTestOptions _options = options ?? new SmokeTestOptions();

    public async Task<SmokeTestResult> RunAsync(Uri publicUrl, string expectedVersion, CancellationToken cancellationToken = default)
    {
        var url = new Uri(new Uri(publicUrl.ToString().TrimEnd('/') + "/"), HealthPath);
        string? reported = null;
        var detail = "";
        for (var attempt = 1; attempt <= _options.Attempts; attempt++)
        {
            (reported, detail) = await ProbeAsync(url, cancellationToken);
            if (reported == expectedVersion)
            {
                Log.Info($"Smoke test: {url} reports version {reported}");
                return new SmokeTestResult(true, url, reported, attempt, $"reports version {reported}");
            }
            // A server still starting refuses the first probes; only the outcome is news, the attempts are for --verbosity verbose.
            Log.Debug($"Smoke test {attempt}/{_options.Attempts}: {url} {detail}, expected version {expectedVersion}");
            if (attempt < _options.Attempts) await _options.Sleep(_options.Delay, cancellationToken);
        }
        return new SmokeTestResult(false, url, reported, _options.Attempts,
            $"{url} {detail} after {_options.Attempts} attempts; expected version {expectedVersion}");
    }

    private async Task<(string? Version, string Detail)> ProbeAsync(Uri url, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            using var response = await http.GetAsync(url, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            if (!response.IsSuccessStatusCode) return (null, $"answered {(int)response.StatusCode}");
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("version", out var version)
                   && version.ValueKind == JsonValueKind.String
                ? (version.GetString(), $"reports version {version.GetString()}")
                : (null, "answered without a version");
        }
        catch (JsonException)
        {
            return (null, "answered something other than JSON");
        }
        catch (HttpRequestException e)
        {
            return (null, $"did not answer ({e.Message})");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"did not answer within {_options.RequestTimeout.TotalSeconds:0} s");
        }
    }
}
