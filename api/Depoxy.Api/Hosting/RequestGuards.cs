using Depoxy.Api.Configuration;

namespace Depoxy.Api.Hosting;

public static class RequestGuards
{
    public const long MaxBodyBytes = 1024 * 1024;

    /// <summary>
    /// Answers 413 for a declared body over 1 MiB before anything reads it; Kestrel's MaxRequestBodySize stops
    /// chunked bodies that declare no length.
    /// </summary>
    public static IApplicationBuilder UseBodyLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            await Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request body is over 1 MiB.")
                .ExecuteAsync(context);
            return;
        }
        await next(context);
    });

    /// <summary>
    /// Refuses state-changing requests that a browser sent from another origin: SameSite=Lax still lets sibling
    /// sub-domains of the cookie domain post with the session cookie.
    /// </summary>
    public static IApplicationBuilder UseOriginCheck(this IApplicationBuilder app, ApiSettings settings) => app.Use(async (context, next) =>
    {
        var method = context.Request.Method;
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && !HttpMethods.IsOptions(method)
            && !string.Equals(origin, settings.CorsAllowOrigin, StringComparison.OrdinalIgnoreCase))
        {
            await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: $"Requests from origin {origin} are not allowed.")
                .ExecuteAsync(context);
            return;
        }
        await next(context);
    });
}
