namespace Depoxy.Aws.Lambda;

/// <summary>The members of Lambda's <c>FunctionConfiguration</c> shape the deploy reads.</summary>
public sealed record FunctionConfiguration
{
    public string FunctionName { get; init; } = "";
    public string? FunctionArn { get; init; }
    public string? Runtime { get; init; }
    public string? Handler { get; init; }
    public long CodeSize { get; init; }
    public string? Description { get; init; }
    public string CodeSha256 { get; init; } = "";
    public string Version { get; init; } = "";
    public string? RevisionId { get; init; }
    public string? LastModified { get; init; }
    public string? State { get; init; }
    public string? StateReason { get; init; }
    public string? StateReasonCode { get; init; }
    public string? LastUpdateStatus { get; init; }
    public string? LastUpdateStatusReason { get; init; }
    public string? LastUpdateStatusReasonCode { get; init; }
    public string? PackageType { get; init; }
    public FunctionEnvironment? Environment { get; init; }
}

public sealed record FunctionEnvironment
{
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();
}

public sealed record FunctionCodeLocation
{
    public string? RepositoryType { get; init; }
    public string? Location { get; init; }
}

public sealed record GetFunctionResult
{
    public FunctionConfiguration Configuration { get; init; } = new();
    public FunctionCodeLocation? Code { get; init; }
}

public sealed record AliasConfiguration
{
    public string? AliasArn { get; init; }
    public string Name { get; init; } = "";
    public string FunctionVersion { get; init; } = "";
    public string? Description { get; init; }
    public string? RevisionId { get; init; }
}

/// <summary>UpdateFunctionCode from an S3 object; <see cref="RevisionId"/> makes Lambda refuse (412) if the function changed since it was read.</summary>
public sealed record UpdateFunctionCodeRequest(string FunctionName, string S3Bucket, string S3Key)
{
    public string? S3ObjectVersion { get; init; }
    public string? RevisionId { get; init; }
}

/// <summary>PublishVersion guarded by the code hash and revision the caller verified, so a concurrent change is refused, not published.</summary>
public sealed record PublishVersionRequest(string FunctionName)
{
    public string? CodeSha256 { get; init; }
    public string? RevisionId { get; init; }
    public string? Description { get; init; }
}

internal sealed record ListVersionsByFunctionResponse
{
    public string? NextMarker { get; init; }
    public List<FunctionConfiguration> Versions { get; init; } = [];
}
