namespace Depoxy.Aws.Lambda;

/// <summary>The Lambda operations a release needs (rest-json, API version 2015-03-31).</summary>
public interface ILambdaClient
{
    Task<GetFunctionResult> GetFunctionAsync(string functionName, string? qualifier = null, CancellationToken cancellationToken = default);

    Task<FunctionConfiguration> GetFunctionConfigurationAsync(string functionName, string? qualifier = null, CancellationToken cancellationToken = default);

    Task<FunctionConfiguration> UpdateFunctionCodeAsync(UpdateFunctionCodeRequest request, CancellationToken cancellationToken = default);

    /// <summary>Publishes <c>$LATEST</c> as a numbered version; Lambda answers 201.</summary>
    Task<FunctionConfiguration> PublishVersionAsync(PublishVersionRequest request, CancellationToken cancellationToken = default);

    /// <summary>The alias, or null when Lambda answers ResourceNotFoundException.</summary>
    Task<AliasConfiguration?> GetAliasAsync(string functionName, string name, CancellationToken cancellationToken = default);

    Task<AliasConfiguration> CreateAliasAsync(string functionName, string name, string functionVersion, string? description = null, CancellationToken cancellationToken = default);

    Task<AliasConfiguration> UpdateAliasAsync(string functionName, string name, string functionVersion, string? revisionId = null, CancellationToken cancellationToken = default);

    /// <summary>Every version of the function (<c>$LATEST</c> included), following NextMarker page by page.</summary>
    IAsyncEnumerable<FunctionConfiguration> ListVersionsByFunctionAsync(string functionName, int? pageSize = null, CancellationToken cancellationToken = default);
}
