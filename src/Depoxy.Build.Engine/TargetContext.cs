namespace Depoxy.Build.Engine;

/// <summary>
/// The running target's cancellation token, flowing with its async calls: targets read it as
/// <see cref="NukeBuild.CancellationToken"/>, and <see cref="Tool.RunAsync"/> honours it even when a caller passes
/// none, so every tool a target starts is stopped on an interrupt.
/// </summary>
public static class TargetContext
{
    private static readonly AsyncLocal<CancellationToken> Current = new();

    public static CancellationToken CancellationToken => Current.Value;

    internal static void Enter(CancellationToken token) => Current.Value = token;
}
