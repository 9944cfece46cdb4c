using System.Text.Json;
using System.Text.Json.Serialization;

namespace Depoxy.Api;

public static class JsonDefaults
{
    /// <summary>camelCase like the HTTP API; unknown properties are errors so typos in documents do not pass silently.</summary>
    public static JsonSerializerOptions Web { get; } = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };
}
