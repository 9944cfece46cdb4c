using System.Runtime.InteropServices;

namespace Depoxy.Build.Engine;

/// <summary>
/// SIGINT and SIGTERM as one cancellation token for the whole run. The first signal cancels the running target
/// (its tools are stopped) and lets the assured targets (Unlock) run; the same signal again ends the process at once,
/// as a second Ctrl+C does in NUKE. Another signal after the first is absorbed: GitHub Actions cancels a job with
/// SIGINT and then SIGTERM 7.5 s later, which must not cut Unlock short. The run then exits with 128 + the first
/// signal's number: 130 for SIGINT, 143 for SIGTERM.
/// </summary>
public sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _signalNumber;

    public CancellationToken Token => _source.Token;

    public bool IsRequested => Volatile.Read(ref _signalNumber) != 0;

    /// <summary>"SIGINT" or "SIGTERM" once signalled.</summary>
    public string? SignalName => Volatile.Read(ref _signalNumber) switch
    {
        0 => null,
        2 => "SIGINT",
        15 => "SIGTERM",
        var n => "signal " + n,
    };

    public int ExitCode => 128 + Volatile.Read(ref _signalNumber);

    /// <summary>
    /// True when the signals are the process's own, so after an interrupt the build may stop every child process
    /// left below it; never for <see cref="Manual"/>, whose process (a test host) has children of its own.
    /// </summary>
    public bool OwnsProcess { get; private init; }

    /// <summary>Listens for SIGINT (Ctrl+C) and SIGTERM (CI cancelling a job, docker stop).</summary>
    public static Interruption FromPosixSignals()
    {
        var interruption = new Interruption { OwnsProcess = true };
        foreach (var (signal, number) in new[] { (PosixSignal.SIGINT, 2), (PosixSignal.SIGTERM, 15) })
            interruption._registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                // The same signal twice is left to the runtime's default action, which ends the process.
                if (interruption.Request(number) || Volatile.Read(ref interruption._signalNumber) != number) context.Cancel = true;
            }));
        return interruption;
    }

    /// <summary>An interruption only code raises, for runs that must not listen to the process's signals (tests).</summary>
    public static Interruption Manual() => new();

    /// <summary>Records the signal and cancels the token; false when an earlier signal already did.</summary>
    public bool Request(int signalNumber)
    {
        if (Interlocked.CompareExchange(ref _signalNumber, signalNumber, 0) != 0) return false;
        // Off the signal thread: the token's callbacks stop tools and may block.
        _ = Task.Run(_source.Cancel);
        return true;
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _source.Dispose();
    }
}
