using Depoxy.Packaging;

/// <summary>
/// The API compiled once for a test run, into the repository's API build cache, which the offline scenario's fresh
/// clone reuses through API_BUILD_CACHE: that scenario proves the flow, while ApiPackagerTests and
/// bench/reproducible.sh prove the Native AOT compile itself. A repeated run with unchanged API inputs compiles nothing.
/// </summary>
static class SharedApiBuild
{
    const string ScenarioProject = "Depoxy.Pipeline.Tests";

    public static async Task<IReadOnlyDictionary<string, string?>> ForProjectAsync(string root, string project, IReadOnlyCollection<TestTier> tiers)
    {
        // The offline scenario carries the terraform and native tiers; without them it does not run.
        if (project != ScenarioProject || (tiers.Count > 0 && !tiers.Contains(TestTier.terraform) && !tiers.Contains(TestTier.native)))
            return new Dictionary<string, string?>();
        var scratch = Directory.CreateTempSubdirectory("depoxy-shared-api-");
        try
        {
            await ApiBuild.ForRepository(root).BuildAsync(Path.Combine(scratch.FullName, "api.zip"));
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
        return new Dictionary<string, string?> { ["API_BUILD_CACHE"] = ApiBuildCache.DefaultDirectory(root) };
    }
}
