namespace Depoxy.Aws.Lambda;

/// <summary>
/// Lambda answered 412 to a RevisionId/CodeSha256-guarded call: the function (or alias) changed after it was read.
/// <see cref="Current"/> is what a fresh read found, so the message can say what is there now.
/// </summary>
public sealed class LambdaPreconditionFailedException(string message, FunctionConfiguration? current, AliasConfiguration? currentAlias, Exception inner)
    : Exception(message, inner)
{
    public FunctionConfiguration? Current { get; } = current;
    public AliasConfiguration? CurrentAlias { get; } = currentAlias;
}

/// <summary>A waiter reached a failure state or ran out of attempts.</summary>
public sealed class LambdaWaiterException(string message) : Exception(message);
