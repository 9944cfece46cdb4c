using System.Text.Json.Serialization;

namespace Depoxy.Api.Pipelines;

/// <summary>An ETL pipeline: read from a source, run the steps in order, write to a destination, optionally on a schedule.</summary>
public sealed record PipelineDefinition(
    string Name,
    PipelineEndpoint Source,
    IReadOnlyList<PipelineStep> Steps,
    PipelineEndpoint Destination,
    string? Description = null,
    string? Schedule = null);

[JsonConverter(typeof(LowerCaseEnumConverter<EndpointKind>))]
public enum EndpointKind { S3, Postgres, Https, Sftp }

/// <summary>Where data is read or written: a URI whose scheme matches the kind (s3://, postgres://, https://, sftp://).</summary>
public sealed record PipelineEndpoint(EndpointKind Kind, string Location);

[JsonConverter(typeof(LowerCaseEnumConverter<StepKind>))]
public enum StepKind { Filter, Map, Rename, Deduplicate, Aggregate }

public sealed record PipelineStep(string Name, StepKind Kind, string Expression);

public sealed record PipelineSummary(string Id, [property: JsonPropertyName("etag")] string ETag, DateTimeOffset LastModified);

public sealed record PipelineList(IReadOnlyList<PipelineSummary> Pipelines);
