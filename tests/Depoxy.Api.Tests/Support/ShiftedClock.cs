namespace Depoxy.Api.Tests.Support;

/// <summary>The system clock moved by <see cref="Offset"/>, so a test can jump past a link's hour window.</summary>
public sealed class ShiftedClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
