namespace Depoxy.Build.Engine;

/// <summary>Every value registered here is replaced by <c>****</c> in every line the build prints.</summary>
public static class SecretMasker
{
    private static readonly object Gate = new();
    private static string[] _secrets = [];

    public static void Register(string? secret)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length < 3) return;
        lock (Gate)
        {
            if (_secrets.Contains(secret, StringComparer.Ordinal)) return;
            // Longest first, so a secret that contains another is masked whole.
            _secrets = [.. _secrets.Append(secret).OrderByDescending(s => s.Length)];
        }
        if (GitHubActions.IsRunning) Console.Out.WriteLine("::add-mask::" + secret);
    }

    public static string Mask(string text)
    {
        foreach (var secret in _secrets)
            text = text.Replace(secret, "****", StringComparison.Ordinal);
        return text;
    }

    internal static void Clear()
    {
        lock (Gate) _secrets = [];
    }
}
