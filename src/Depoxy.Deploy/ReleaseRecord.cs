using System.Text.Json;
using System.Text.Json.Serialization;
using Depoxy.Build.Engine;

namespace Depoxy.Deploy;

[JsonConverter(typeof(JsonStringEnumConverter<ReleaseOutcome>))]
/// <summary>
/// <see cref="Refused"/>: a check refused the attempt before its first write (nothing changed on the stage);
/// <see cref="Failed"/>: it failed after writing; <see cref="RolledBack"/>: it failed and what it changed was put back.
/// </summary>
public enum ReleaseOutcome { Succeeded, Failed, RolledBack, Refused }

/// <summary>One release attempt of a stage, as the ledger stores it.</summary>
public sealed record ReleaseRecord
{
    public required string Stage { get; init; }

    /// <summary>Deploy, Promote or Rollback.</summary>
    public string Kind { get; init; } = "Deploy";

    public required string Version { get; init; }
    public string? Commit { get; init; }

    /// <summary>Artifact name → sha256, as in the artifact manifest.</summary>
    public IReadOnlyDictionary<string, string> Hashes { get; init; } = new Dictionary<string, string>();

    public string? LambdaVersion { get; init; }
    public required string Who { get; init; }
    public required DateTimeOffset When { get; init; }
    public string? RunUrl { get; init; }
    public required ReleaseOutcome Outcome { get; init; }

    /// <summary>A successful release that changed nothing: no Terraform change, the alias on the version it was on, no site file written or deleted.</summary>
    public bool Unchanged { get; init; }

    public string? Reason { get; init; }

    /// <summary>Files of tf/ and modules/ the stage's Terraform was planned from without being committed (dev, --allow-dirty); null when all was committed.</summary>
    public IReadOnlyList<string>? UncommittedTerraform { get; init; }

    /// <summary>Drift the release's apply put back: "&lt;stage&gt;/&lt;stack&gt;: &lt;resource&gt;: &lt;attribute&gt;: old → new", one per resource.</summary>
    public IReadOnlyList<string>? CorrectedDrift { get; init; }

    /// <summary>Stack name → lineage of its state when the release ran: plans and applies refuse a stack whose state is not this one.</summary>
    public IReadOnlyDictionary<string, string>? StateLineages { get; init; }

    /// <summary>A record stamped with who runs this process, now, and the GitHub Actions run URL (null locally).</summary>
    public static ReleaseRecord ForThisRun(string stage, string version, ReleaseOutcome outcome, TimeProvider? clock = null) => new()
    {
        Stage = stage,
        Version = version,
        Outcome = outcome,
        Who = CurrentActor(),
        When = (clock ?? TimeProvider.System).GetUtcNow(),
        RunUrl = GitHubActions.RunUrl,
    };

    /// <summary>GITHUB_ACTOR on Actions, else the local USER.</summary>
    public static string CurrentActor() =>
        Environment.GetEnvironmentVariable("GITHUB_ACTOR") is { Length: > 0 } actor ? actor
        : Environment.GetEnvironmentVariable("USER") is { Length: > 0 } user ? user
        : Environment.UserName;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
