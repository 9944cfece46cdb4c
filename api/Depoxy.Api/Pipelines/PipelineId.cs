using System.Text.RegularExpressions;

namespace Depoxy.Api.Pipelines;

public static partial class PipelineId
{
    public const string Rule = "1-64 characters: lower-case letters, digits and '-', starting with a letter or digit";

    /// <summary>A closed alphabet without '/', '.' or '%' so an id can never leave the user's own key prefix.</summary>
    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}\\z")]
    private static partial Regex Pattern();
}
