using System.Text.Json;
using System.Text.Json.Serialization;
using Depoxy.Api.Auth;
using Depoxy.Api.Hosting;
using Depoxy.Api.Pipelines;
using Depoxy.Api.Storage;

namespace Depoxy.Api;

/// <summary>
/// Every type the API reads or writes as JSON, source-generated so the Native AOT build needs no reflection.
/// camelCase like the HTTP API; unknown properties are errors so typos in documents do not pass silently.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(MagicLinkRequest))]
[JsonSerializable(typeof(MagicLinkAccepted))]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(WhoAmI))]
[JsonSerializable(typeof(Health))]
[JsonSerializable(typeof(LoginRecord))]
[JsonSerializable(typeof(SendWindow))]
[JsonSerializable(typeof(SessionState))]
[JsonSerializable(typeof(PipelineDefinition))]
[JsonSerializable(typeof(PipelineList))]
[JsonSerializable(typeof(CorsRules))]
public sealed partial class ApiJson : JsonSerializerContext;

/// <summary>Enums as lower-case strings (s3, deduplicate); numbers are refused so a document cannot say "kind": 1.</summary>
public sealed class LowerCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false)
    where TEnum : struct, Enum;
