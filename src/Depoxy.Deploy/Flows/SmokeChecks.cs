using Depoxy.Packaging;

namespace Depoxy.Deploy.Flows;

/// <summary>How a flow proves a release answers: through the stage's public URL, or (emulator) by running its bytes.</summary>
public interface ISmokeCheck
{
    Task<SmokeTestResult> RunAsync(StageTarget stage, ReleaseManifest manifest, CancellationToken cancellationToken = default);
}

public sealed class PublicUrlSmokeCheck(SmokeTest smoke) : ISmokeCheck
{
    public Task<SmokeTestResult> RunAsync(StageTarget stage, ReleaseManifest manifest, CancellationToken cancellationToken = default) =>
        smoke.RunAsync(new Uri(stage.Api.PublicUrl), manifest.Version, cancellationToken);
}
