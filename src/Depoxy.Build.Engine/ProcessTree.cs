using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Depoxy.Build.Engine;

/// <summary>
/// Stops a child process and everything it started, as Ctrl+C in a terminal would: SIGINT to the whole tree first so
/// tools such as terraform can release their locks, then SIGKILL to whatever is still alive after a grace period.
/// </summary>
public static class ProcessTree
{
    private const int SigInt = 2;
    private const int SigKill = 9;

    public static readonly TimeSpan DefaultGracePeriod = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The tree is listed before the first signal, because a child that dies re-parents its own children to init,
    /// where they can no longer be found from <paramref name="rootProcessId"/>.
    /// </summary>
    public static async Task StopAsync(int rootProcessId, TimeSpan gracePeriod)
    {
        if (OperatingSystem.IsWindows())
        {
            KillTree(rootProcessId);
            return;
        }
        var tree = new HashSet<int> { rootProcessId };
        tree.UnionWith(Descendants(rootProcessId));
        foreach (var pid in tree) Signal(pid, SigInt);

        var deadline = Stopwatch.StartNew();
        while (IsAlive(rootProcessId) && deadline.Elapsed < gracePeriod)
            await Task.Delay(50);
        if (IsAlive(rootProcessId)) tree.UnionWith(Descendants(rootProcessId));
        foreach (var pid in tree.Where(IsAlive)) Signal(pid, SigKill);
        if (!OperatingSystem.IsLinux()) KillTree(rootProcessId);
    }

    /// <summary>
    /// Stops every process below <paramref name="processId"/> (Linux), the same way: what an interrupted target
    /// started outside <see cref="Tool"/> (a local API host, say) must not outlive the build. Processes that detached
    /// themselves (setsid and a parent that exited, as the emulator's moto_server does) are no longer below it.
    /// Returns how many there were.
    /// </summary>
    public static async Task<int> StopDescendantsAsync(int processId, TimeSpan gracePeriod)
    {
        var tree = Descendants(processId).ToHashSet();
        if (tree.Count == 0) return 0;
        foreach (var pid in tree) Signal(pid, SigInt);
        var deadline = Stopwatch.StartNew();
        while (tree.Any(IsAlive) && deadline.Elapsed < gracePeriod)
            await Task.Delay(50);
        tree.UnionWith(Descendants(processId));
        foreach (var pid in tree.Where(IsAlive)) Signal(pid, SigKill);
        return tree.Count;
    }

    /// <summary>Every process below <paramref name="processId"/> (Linux /proc; empty elsewhere, where .NET's tree kill is used).</summary>
    public static IReadOnlyList<int> Descendants(int processId)
    {
        if (!OperatingSystem.IsLinux()) return [];
        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || ReadStat(pid) is not { } stat) continue;
            if (!children.TryGetValue(stat.ParentId, out var list)) children[stat.ParentId] = list = [];
            list.Add(pid);
        }
        var found = new List<int>();
        var queue = new Queue<int>([processId]);
        while (queue.Count > 0)
            foreach (var child in children.GetValueOrDefault(queue.Dequeue()) ?? [])
            {
                found.Add(child);
                queue.Enqueue(child);
            }
        return found;
    }

    /// <summary>True while the process exists and is not a zombie waiting to be reaped.</summary>
    public static bool IsAlive(int processId)
    {
        if (OperatingSystem.IsLinux()) return ReadStat(processId) is { State: not 'Z' and not 'X' };
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static (char State, int ParentId)? ReadStat(int pid)
    {
        try
        {
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so fields are read after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (fields[0][0], int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static void Signal(int pid, int signal)
    {
        if (!OperatingSystem.IsWindows()) _ = Kill(pid, signal);
    }

    private static void KillTree(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    // DllImport rather than LibraryImport: the latter's generated code needs AllowUnsafeBlocks.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
