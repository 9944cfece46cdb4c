using Depoxy.Api.Auth;
using Microsoft.AspNetCore.Diagnostics;

namespace Depoxy.Api.Hosting;

/// <summary>
/// Turns what escapes an endpoint into a problem answer that names no internal type: a broken signing key is 503
/// (the instance is unhealthy), a request Kestrel refused keeps its status (413 for a body over the limit), anything
/// else is a generic 500. The detail goes to the log only.
/// </summary>
public sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title) = exception switch
        {
            SigningKeyUnavailableException => (StatusCodes.Status503ServiceUnavailable, "Signing in is unavailable right now: try again in a minute."),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (StatusCodes.Status413PayloadTooLarge, RequestGuards.TooLarge),
            BadHttpRequestException bad => (bad.StatusCode, "The request could not be read."),
            _ => (StatusCodes.Status500InternalServerError, "Something went wrong on our side: try again, and tell us if it persists."),
        };
        if (status >= 500) LogFailure(logger, context.Request.Method, context.Request.Path, exception.Message, exception);
        if (status == StatusCodes.Status503ServiceUnavailable) context.Response.Headers.RetryAfter = "30";
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title },
        });
    }

    [LoggerMessage(EventId = 5000, Level = LogLevel.Error, Message = "{Method} {Path} failed: {Problem}")]
    private static partial void LogFailure(ILogger logger, string method, string path, string problem, Exception exception);
}
