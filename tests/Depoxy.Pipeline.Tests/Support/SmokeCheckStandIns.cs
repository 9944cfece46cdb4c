using Depoxy.Deploy;
using Depoxy.Deploy.Flows;
using Depoxy.Packaging;

namespace Depoxy.Pipeline.Tests.Support;

/// <summary>
/// Stand-in for the smoke test (no API Gateway or CloudFront answers here): reports the manifest's version as the one
/// the stage serves, or, when told to fail, another version. Remembers what it was asked.
/// </summary>
public sealed class SmokeCheckStandIn(bool passes = true) : ISmokeCheck
{
    public List<(string Stage, string Version)> Checked { get; } = [];

    public static SmokeCheckStandIn Failing() => new(passes: false);

    public Task<SmokeTestResult> RunAsync(StageTarget stage, ReleaseManifest manifest, CancellationToken cancellationToken = default)
    {
        Checked.Add((stage.Stage, manifest.Version));
        var url = new Uri("http://smoke-check-stand-in/" + SmokeTest.HealthPath);
        return Task.FromResult(passes
            ? new SmokeTestResult(true, url, manifest.Version, 1, $"reports version {manifest.Version}")
            : new SmokeTestResult(false, url, "stand-in-old-version", 1, $"{url} reports version stand-in-old-version; expected version {manifest.Version}"));
    }
}
