using System.Globalization;
using System.Text.RegularExpressions;
using Depoxy.Build.Engine;

namespace Depoxy.Packaging;

/// <summary>
/// The version every artifact of one build carries. From git it is the commit's committer time in UTC and its
/// short sha, <c>yyyyMMdd.HHmmss-g&lt;sha7&gt;</c>: unique per commit, sorts by time as text, and needs no tags or
/// history, so it also works in a shallow CI clone.
/// </summary>
public sealed partial record ReleaseVersion(string Value, string Commit)
{
    public const string DirtyMarker = "-dirty";

    public override string ToString() => Value;

    /// <summary>True for versions built from a working tree with uncommitted changes; such a build never goes to prod.</summary>
    public static bool IsDirty(string version) => DirtyPattern().IsMatch(version);

    /// <summary>
    /// The version for this build: <paramref name="overrideVersion"/> when given, else from git. A dirty tree is
    /// refused unless <paramref name="allowDirty"/>, and then the version says so.
    /// </summary>
    public static async Task<ReleaseVersion> ResolveAsync(string repositoryRoot, string? overrideVersion, bool allowDirty,
        CancellationToken cancellationToken = default)
    {
        var state = await GitState.ReadAsync(repositoryRoot, cancellationToken);
        var value = overrideVersion is { Length: > 0 } given ? Validate(given) : FromCommit(state.CommitTime, state.Commit);
        if (IsDirty(value) && !state.Dirty)
            throw new PackagingException($"--version {value} contains '{DirtyMarker}', which marks builds of uncommitted changes: choose another version.");
        if (state.Dirty)
        {
            if (!allowDirty)
                throw new PackagingException($"the working tree has uncommitted changes ({state.FirstChange}): commit or stash them, or pass --allow-dirty for a build that can never be promoted.");
            // The build time keeps two dirty builds of one commit from claiming the same immutable version; a version
            // already marked (resolved earlier in the same run) keeps its mark.
            if (!IsDirty(value)) value += DirtyMarker + "." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        }
        return new ReleaseVersion(value, state.Commit);
    }

    public static string FromCommit(DateTimeOffset committed, string commit) =>
        committed.UtcDateTime.ToString("yyyyMMdd.HHmmss", CultureInfo.InvariantCulture) + "-g" + commit[..7];

    /// <summary>Versions become S3 key segments and Terraform variables: keep them to a safe alphabet.</summary>
    public static string Validate(string version) =>
        SafePattern().IsMatch(version)
            ? version
            : throw new PackagingException($"--version '{version}' is not valid: use letters, digits, '.', '_' and '-' only (at most 64, starting with a letter or digit).");

    [GeneratedRegex(@"-dirty(\.|$)")]
    private static partial Regex DirtyPattern();

    [GeneratedRegex(@"^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$")]
    private static partial Regex SafePattern();

    private sealed record GitState(string Commit, DateTimeOffset CommitTime, bool Dirty, string? FirstChange)
    {
        public static async Task<GitState> ReadAsync(string root, CancellationToken cancellationToken)
        {
            ToolResult head;
            try
            {
                head = await Tool.RunAsync("git", ["log", "-1", "--format=%H %ct"], root, echoOutput: false, cancellationToken: cancellationToken);
            }
            catch (ToolException e)
            {
                throw new PackagingException($"cannot read the commit of {root} ({e.Result.StandardError.Trim()}): run the build from a git clone with at least one commit.");
            }
            var parts = head.StandardOutput.Trim().Split(' ');
            var commitTime = DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts[1], CultureInfo.InvariantCulture));
            var status = await Tool.RunAsync("git", ["status", "--porcelain", "--untracked-files=all"], root, echoOutput: false, cancellationToken: cancellationToken);
            var changes = status.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return new GitState(parts[0], commitTime, changes.Length > 0, changes.FirstOrDefault()?.Trim());
        }
    }
}
