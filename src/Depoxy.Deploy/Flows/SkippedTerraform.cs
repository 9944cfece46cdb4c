using Depoxy.Packaging;

namespace Depoxy.Deploy.Flows;

/// <summary>
/// A release step whose Plan and Apply were skipped (a bare --skip) ships whatever artifacts/release.json names, which
/// an earlier run chose: this says which release that is, whether it is the commit checked out, and that no
/// Terraform ran.
/// </summary>
public static class SkippedTerraform
{
    public static string Describe(string stage, ReleaseManifest release, string head)
    {
        var commit = release.Commit is { Length: > 0 } c ? c : "an unknown commit";
        var which = string.Equals(commit, head, StringComparison.OrdinalIgnoreCase)
            ? $"release {release.Version}, built from HEAD ({Short(head)})"
            : $"release {release.Version} of commit {Short(commit)}, NOT HEAD ({Short(head)}): artifacts/release.json names what an earlier run chose";
        return $"--skip: shipping {which}; no Terraform ran, so {stage}'s infrastructure is as last applied (drop --skip to ship HEAD with its Terraform)";
    }

    private static string Short(string commit) => commit.Length > 7 ? commit[..7] : commit;
}
