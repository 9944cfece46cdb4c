namespace Depoxy.Build.Engine;

public enum Verbosity { Quiet, Minimal, Normal, Verbose }

/// <summary>The build's only way to print: every line passes the secret masker.</summary>
public static class Log
{
    private static readonly object Gate = new();

    public static Verbosity Verbosity { get; set; } = Verbosity.Normal;

    /// <summary>Where lines go; tests swap it to capture output.</summary>
    public static TextWriter Out { get; set; } = Console.Out;

    public static void Debug(string message)
    {
        if (Verbosity >= Verbosity.Verbose) Write(message);
    }

    public static void Info(string message)
    {
        if (Verbosity >= Verbosity.Normal) Write(message);
    }

    public static void Warn(string message)
    {
        if (Verbosity < Verbosity.Minimal) return;
        Write(GitHubActions.IsRunning ? "::warning::" + message : "WARNING: " + message);
    }

    public static void Error(string message) =>
        Write(GitHubActions.IsRunning ? "::error::" + message : "ERROR: " + message);

    /// <summary>A line that must always show, whatever the verbosity (headers, summaries).</summary>
    public static void Always(string message) => Write(message);

    private static void Write(string message)
    {
        var masked = SecretMasker.Mask(message);
        lock (Gate) Out.WriteLine(masked);
    }
}
