namespace Depoxy.GitHub;

/// <summary>Shortens text to a length limit by keeping its head and tail (where a plan's first changes and its
/// summary line are) and putting a note in between; cuts fall on line ends and a Markdown code fence left open by
/// the head is closed before the note and reopened after it.</summary>
public static class HeadTailTruncator
{
    /// <param name="note">The note for a given number of omitted characters; one line, no newline.</param>
    public static string Truncate(string text, int maxLength, Func<int, string> note)
    {
        if (text.Length <= maxLength) return text;
        var longestFence = Lines(text).Where(IsFence).Select(l => l.Length).DefaultIfEmpty(0).Max();
        var reserved = note(text.Length).Length + 2 * longestFence + 16;
        var budget = maxLength - reserved;
        if (budget < 2) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "too small for the note");

        var head = text[..CutBack(text, budget / 2)];
        var tail = text[CutForward(text, text.Length - (budget - budget / 2))..];
        var openFence = OpenFence(head);
        var omitted = text.Length - head.Length - tail.Length;
        var lineEnd = head.EndsWith('\n') ? "" : "\n";
        var middle = openFence is null
            ? $"{lineEnd}\n{note(omitted)}\n\n"
            : $"{lineEnd}{FenceCloser(openFence)}\n\n{note(omitted)}\n\n{openFence}\n";
        return head + middle + tail;
    }

    /// <summary>The end of the head: just after the last newline before <paramref name="limit"/>, unless that
    /// would lose more than half of it (one huge line), and never inside a surrogate pair.</summary>
    private static int CutBack(string text, int limit)
    {
        var newline = text.LastIndexOf('\n', limit - 1);
        var cut = newline >= limit / 2 ? newline + 1 : limit;
        return char.IsLowSurrogate(text[cut]) ? cut - 1 : cut;
    }

    private static int CutForward(string text, int start)
    {
        var remaining = text.Length - start;
        var newline = text.IndexOf('\n', start);
        var cut = newline >= 0 && newline - start < remaining / 2 ? newline + 1 : start;
        return cut < text.Length && char.IsLowSurrogate(text[cut]) ? cut + 1 : cut;
    }

    private static string? OpenFence(string head)
    {
        string? open = null;
        foreach (var line in Lines(head).Where(IsFence))
            open = open is null ? line.Trim() : null;
        return open;
    }

    private static string FenceCloser(string opener) => new(opener[0], opener.TakeWhile(c => c == opener[0]).Count());

    private static bool IsFence(string line)
    {
        var trimmed = line.TrimStart();
        return trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal);
    }

    private static IEnumerable<string> Lines(string text) => text.Split('\n');
}
