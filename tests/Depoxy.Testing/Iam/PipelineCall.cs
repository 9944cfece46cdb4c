using System.Text.Json.Serialization;
using Depoxy.Aws.Recording;

namespace Depoxy.Testing.Iam;

/// <summary>
/// One AWS call a flow makes, as the role that runs the step: the service's IAM prefix, the API operation, the
/// resource ARN and the request context that conditions read (s3:if-none-match, aws:RequestTag/…). The JSON names are
/// those of the recorded calls (<see cref="AwsCall"/>, one JSON object per line).
/// </summary>
public sealed record PipelineCall(
    [property: JsonPropertyName("flow")] string Flow,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("service")] string Service,
    [property: JsonPropertyName("operation")] string Operation,
    [property: JsonPropertyName("resource")] string Resource,
    [property: JsonPropertyName("context")] IReadOnlyDictionary<string, string> Context)
{
    public static PipelineCall Recorded(string flow, string role, AwsCall call) =>
        new(flow, role, call.Service, call.Operation, call.Resource, call.Context);

    public override string ToString() =>
        $"{Flow}: {Role} {Service}:{Operation} {Resource}" + (Context.Count == 0 ? "" : " {" + string.Join(", ", Context.Select(c => $"{c.Key}={c.Value}")) + "}");
}

/// <summary>An IAM action on a resource, with the context the request carries: what the simulator evaluates.</summary>
public sealed record Authorization(string Action, string Resource, IReadOnlyDictionary<string, string> Context);
