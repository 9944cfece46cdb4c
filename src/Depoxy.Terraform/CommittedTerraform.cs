using Depoxy.Build.Engine;

namespace Depoxy.Terraform;

/// <summary>
/// Only committed Terraform is planned or applied: tf/ and modules/ must equal HEAD. dev may pass --allow-dirty, and
/// its seals (and so its ledger entry) then name the files; prod runs only a commit that is on main, whatever the flags.
/// </summary>
public static class CommittedTerraform
{
    private static readonly string[] MainRefs = ["refs/remotes/origin/main", "refs/heads/main"];

    /// <summary>Refuses what this rule forbids; returns the uncommitted files dev was allowed to plan or apply (none when clean).</summary>
    /// <param name="action">"plan" or "apply", for the message.</param>
    public static async Task<IReadOnlyList<string>> EnsureAsync(string root, string stage, bool allowDirty, string action, CancellationToken cancellationToken = default)
    {
        var changed = await UncommittedAsync(root, cancellationToken);
        if (stage == "prod")
        {
            if (changed.Count > 0)
                throw new TerraformException(
                    $"refusing to {action} prod: tf/ or modules/ differ from HEAD ({Describe(changed)}); prod runs only committed Terraform, " +
                    "whatever the flags: commit the change to main (or git stash it) and run again");
            await EnsureOnMainAsync(root, action, cancellationToken);
            return [];
        }
        if (changed.Count == 0) return [];
        if (!allowDirty)
            throw new TerraformException(
                $"refusing to {action} {stage}: tf/ or modules/ differ from HEAD ({Describe(changed)}); commit or stash them, " +
                $"or pass --allow-dirty to {action} them anyway (dev only; the seal and the ledger record the files)");
        Log.Warn($"{stage}: {action} of uncommitted Terraform ({Describe(changed)}), allowed by --allow-dirty; the seal and the ledger record it");
        return changed;
    }

    /// <summary>A plan made from uncommitted files is applied only where such plans may be made: dev, with --allow-dirty.</summary>
    public static void EnsureSealsApplicable(string stage, bool allowDirty, IEnumerable<PlanSeal> seals)
    {
        if (seals.FirstOrDefault(s => s.Uncommitted is { Count: > 0 }) is not { } dirty) return;
        if (stage == "prod" || !allowDirty)
            throw new TerraformException(
                $"refusing to apply {dirty.Stage}/{dirty.Stack}: its plan was made from uncommitted Terraform ({Describe(dirty.Uncommitted!)}); " +
                (stage == "prod" ? "prod applies only plans of a commit on main: commit, then run the plan job again" : "commit it and plan again, or pass --allow-dirty"));
    }

    private static async Task<IReadOnlyList<string>> UncommittedAsync(string root, CancellationToken cancellationToken)
    {
        var status = await Git(root, ["status", "--porcelain", "--untracked-files=all", "--", "tf", "modules"], cancellationToken);
        // "XY path" lines; the status letters are taken off by the first space after them, as the output may come trimmed.
        return [.. status.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.TrimStart().Split(' ', 2)[1].Trim())];
    }

    private static async Task EnsureOnMainAsync(string root, string action, CancellationToken cancellationToken)
    {
        foreach (var main in MainRefs)
        {
            try
            {
                await Git(root, ["rev-parse", "--verify", "--quiet", main], cancellationToken);
            }
            catch (ToolException)
            {
                continue;
            }
            try
            {
                await Git(root, ["merge-base", "--is-ancestor", "HEAD", main], cancellationToken);
                return;
            }
            catch (ToolException)
            {
                var head = (await Git(root, ["rev-parse", "--short", "HEAD"], cancellationToken)).Trim();
                throw new TerraformException($"refusing to {action} prod: commit {head} is not on main ({main}); prod runs only commits on main: merge it, then run from main");
            }
        }
        throw new TerraformException($"refusing to {action} prod: this checkout has no main branch to prove HEAD is on it: git fetch origin main, then run again");
    }

    private static async Task<string> Git(string root, string[] arguments, CancellationToken cancellationToken) =>
        (await Tool.RunAsync("git", arguments, root, echoOutput: false, cancellationToken: cancellationToken)).StandardOutput;

    private static string Describe(IReadOnlyList<string> files) =>
        string.Join(", ", files.Take(5)) + (files.Count > 5 ? $" and {files.Count - 5} more" : "");
}
