using System.Buffers;
using Depoxy.Api.Configuration;

namespace Depoxy.Api.Hosting;

public static class RequestGuards
{
    public const long MaxBodyBytes = 1024 * 1024;
    public const string TooLarge = "The request body is over 1 MiB.";

    /// <summary>
    /// Answers 413 for a body over 1 MiB before any endpoint reads it: at once for a declared length, and for a
    /// chunked body (no length declared) by reading it into memory up to the limit, so every route answers the same.
    /// </summary>
    public static IApplicationBuilder UseBodyLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (request.ContentLength > MaxBodyBytes)
        {
            await TooLargeAsync(context);
            return;
        }
        if (request.ContentLength is null && !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method))
        {
            var body = await ReadUpToLimitAsync(request.Body, context.RequestAborted);
            if (body is null)
            {
                await TooLargeAsync(context);
                return;
            }
            request.Body = body;
            request.ContentLength = body.Length;
        }
        await next(context);
    });

    /// <summary>
    /// Refuses state-changing requests that a browser sent from another origin: the session cookie is SameSite, which
    /// still lets sibling hosts of the same site post with it.
    /// </summary>
    public static IApplicationBuilder UseOriginCheck(this IApplicationBuilder app, ApiSettings settings) => app.Use(async (context, next) =>
    {
        var method = context.Request.Method;
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && !HttpMethods.IsOptions(method)
            && !string.Equals(origin, settings.CorsAllowOrigin, StringComparison.OrdinalIgnoreCase))
        {
            await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Requests from this origin are not allowed.")
                .ExecuteAsync(context);
            return;
        }
        await next(context);
    });

    private static Task TooLargeAsync(HttpContext context) =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: TooLarge).ExecuteAsync(context);

    /// <summary>The whole body in memory, or null once it passes <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<MemoryStream?> ReadUpToLimitAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes) return null;
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        buffer.Position = 0;
        return buffer;
    }
}
