namespace Depoxy.Testing.Iam;

/// <summary>
/// Replays the calls on lock objects in order, as S3 would answer them: a put with If-None-Match takes a lock and
/// fails while it is held, a plain put refreshes a held lock (the heartbeat), a delete gives it back.
/// </summary>
public static class LockReplay
{
    /// <summary>What would go wrong: a lock taken twice, refreshed or deleted when not held, or left behind at the end.</summary>
    public static IReadOnlyList<string> Problems(IEnumerable<PipelineCall> lockCalls)
    {
        var held = new HashSet<string>();
        var problems = new List<string>();
        foreach (var call in lockCalls)
        {
            if (call.Operation == "PutObject" && call.Context.ContainsKey("s3:if-none-match"))
            {
                if (!held.Add(call.Resource)) problems.Add($"{call} fails: {call.Resource} is still held, an earlier run left it behind");
            }
            else if (call.Operation == "PutObject")
            {
                if (!held.Contains(call.Resource)) problems.Add($"{call} refreshes a lock no run holds");
            }
            else if (call.Operation == "DeleteObject" && !held.Remove(call.Resource))
                problems.Add($"{call} deletes a lock no run holds");
        }
        problems.AddRange(held.Select(resource => $"left behind: {resource}"));
        return problems;
    }
}
