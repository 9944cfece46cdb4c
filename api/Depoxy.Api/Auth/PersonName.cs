using System.Globalization;
using System.Text;

namespace Depoxy.Api.Auth;

/// <summary>
/// A first name as the sign-in mail greets it: letters (with their combining marks), spaces, '-' and apostrophes.
/// No digits, punctuation, URLs, or bidi and other format characters that could reorder the mail's text.
/// </summary>
public static class PersonName
{
    public const int MaxLength = 50;
    public const string Rule = "1-50 letters, spaces, '-' or ''', starting with a letter";

    public static bool IsValid(string? name)
    {
        if (name is not { Length: > 0 and <= MaxLength } || !Rune.IsLetter(Rune.GetRuneAt(name, 0))) return false;
        foreach (var rune in name.EnumerateRunes())
        {
            var allowed = Rune.IsLetter(rune)
                || Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                || rune.Value is ' ' or '-' or '\'' or '\u2019';
            if (!allowed) return false;
        }
        return true;
    }
}
