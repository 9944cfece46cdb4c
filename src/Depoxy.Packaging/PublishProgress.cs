using Depoxy.Build.Engine;

namespace Depoxy.Packaging;

/// <summary>
/// What the API's Native AOT publish is doing, from its output: dotnet publish -v:m says when restore ends and when
/// native code generation (ILC) starts, then nothing for minutes, so a heartbeat line says the phase and the elapsed
/// time every <see cref="Interval"/>. Linking is seen from the object file ILC leaves for the linker.
/// </summary>
/// <param name="objectFile">The .o ILC writes (obj/…/native/&lt;name&gt;.o): once written in this run, clang is linking.</param>
public sealed class PublishProgress(string objectFile, TimeProvider? time = null)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    public const string Restore = "restore";
    public const string Compile = "compile";
    public const string NativeCompile = "native compile (ILC)";
    public const string Link = "link";

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly long _started = (time ?? TimeProvider.System).GetTimestamp();
    // File times are coarser than the clock (a write just after the start may read as just before it); restore and
    // compile take seconds before ILC can write anything, so a second's slack cannot take an earlier run's file for this one's.
    private readonly DateTime _startedUtc = (time ?? TimeProvider.System).GetUtcNow().UtcDateTime.AddSeconds(-1);

    public string Phase { get; private set; } = Restore;

    public void Observe(string line)
    {
        var text = line.Trim();
        if (text.StartsWith("Restored ", StringComparison.Ordinal) || text.EndsWith("up-to-date for restore.", StringComparison.Ordinal))
            Phase = Compile;
        else if (text.StartsWith("Generating native code", StringComparison.Ordinal))
            Phase = NativeCompile;
    }

    /// <summary>One heartbeat: "api: native compile (ILC)… 40 s".</summary>
    public string Heartbeat()
    {
        if (Phase == NativeCompile && File.Exists(objectFile) && File.GetLastWriteTimeUtc(objectFile) >= _startedUtc) Phase = Link;
        return $"api: {Phase}… {_time.GetElapsedTime(_started).TotalSeconds:0} s";
    }

    /// <summary>Prints <see cref="Heartbeat"/> every <see cref="Interval"/> until the returned handle is disposed.</summary>
    public IAsyncDisposable StartHeartbeat()
    {
        var stop = new CancellationTokenSource();
        var beating = BeatAsync(stop.Token);
        return new Heart(stop, beating);
    }

    private async Task BeatAsync(CancellationToken token)
    {
        using var timer = new PeriodicTimer(Interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(token)) Log.Info(Heartbeat());
        }
        catch (OperationCanceledException)
        {
            // Stopped by the handle's DisposeAsync: the publish has ended.
        }
    }

    private sealed class Heart(CancellationTokenSource stop, Task beating) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await beating;
            stop.Dispose();
        }
    }
}
