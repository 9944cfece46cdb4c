using Depoxy.Deploy.Flows;
using Depoxy.Packaging;

namespace Depoxy.Deploy.Tests;

/// <summary>artifacts/release.json, the file targets and jobs hand each other instead of fields of the build.</summary>
public sealed class ChosenReleaseTests : IDisposable
{
    private readonly string _artifacts = Directory.CreateTempSubdirectory("depoxy-release-json-").FullName;

    private static ReleaseManifest Manifest(string version) => new(version, "0123456789abcdef0123456789abcdef01234567", DateTimeOffset.UnixEpoch,
    [
        new ManifestArtifact(ArtifactKinds.Api, "api", ReleaseManifest.ApiKey(version), "api.zip", 3, new string('a', 64), "c2hhMjU2IG9mIHRoZSBhcGk="),
    ]);

    [Fact]
    public void What_one_target_chose_is_what_a_later_target_or_job_reads_back()
    {
        var chosen = ChosenRelease.ForDeploy("dev", Manifest("20260101.100000-gaaaaaaa"));
        chosen.Write(_artifacts);

        var read = ChosenRelease.Read(_artifacts, "dev");

        Assert.Equal(chosen, read);
        Assert.Equal(("dev", "20260101.100000-gaaaaaaa", "c2hhMjU2IG9mIHRoZSBhcGk=", ReleaseFlow.DeployKind), (read.Stage, read.Version, read.ApiBase64Sha256, read.Kind));
    }

    [Fact]
    public void A_release_chosen_for_another_stage_is_refused_naming_both_stages_and_the_fix_and_left_as_it_is()
    {
        ChosenRelease.ForDeploy("dev", Manifest("20260101.100000-gaaaaaaa")).Write(_artifacts);
        var before = File.ReadAllText(ChosenRelease.FileIn(_artifacts));

        var error = Assert.Throws<DeployException>(() => ChosenRelease.Read(_artifacts, "prod"));

        Assert.Equal($"{ChosenRelease.FileIn(_artifacts)} was chosen for dev, not prod: run the plan job for prod", error.Message);
        Assert.Equal(before, File.ReadAllText(ChosenRelease.FileIn(_artifacts)));
    }

    [Fact]
    public void Without_a_chosen_release_an_apply_job_names_the_plan_job_to_run()
    {
        var error = Assert.Throws<DeployException>(() => ChosenRelease.Read(_artifacts, "prod"));

        Assert.Equal($"{ChosenRelease.FileIn(_artifacts)} is missing: run the plan job (PlanDeploy or PlanPromote) first, or download its artifacts into artifacts/", error.Message);
    }

    public void Dispose() => Directory.Delete(_artifacts, recursive: true);
}
