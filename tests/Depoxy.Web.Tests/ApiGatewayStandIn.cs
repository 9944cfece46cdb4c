using System.Net;
using System.Text.Json;
using Depoxy.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Depoxy.Web.Tests;

/// <summary>
/// Stand-in for API Gateway's HTTP API in front of the function (API Gateway cannot run here). It does what the
/// real one does with CORS when <c>cors_configuration</c> is set: answers preflights itself, never forwarding them,
/// and replaces whatever CORS headers the function sent with its own. Its rules are read from
/// modules/api-gateway/cors.json, the very file the module's cors_configuration is built from, so a header the
/// module would not allow fails here as it would in AWS.
/// </summary>
public sealed class ApiGatewayStandIn : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer", "Host",
    };

    private readonly WebApplication _app;
    private readonly HttpClient _http;

    private ApiGatewayStandIn(WebApplication app, HttpClient http, Uri address)
    {
        _app = app;
        _http = http;
        Address = address;
    }

    public Uri Address { get; }

    public sealed record Rules(string[] AllowMethods, string[] AllowHeaders, string[] ExposeHeaders, bool AllowCredentials, int MaxAgeSeconds);

    public static Rules ModuleRules() =>
        JsonSerializer.Deserialize<Rules>(File.ReadAllText(RepositoryRoot.Combine("modules", "api-gateway", "cors.json")), JsonSerializerOptions.Web)
        ?? throw new InvalidOperationException("modules/api-gateway/cors.json holds JSON null");

    /// <param name="allowOrigins">The module's cors-allow-origins: the app's origin.</param>
    public static async Task<ApiGatewayStandIn> StartAsync(Uri function, IReadOnlyList<string> allowOrigins)
    {
        var rules = ModuleRules();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
        app.Run(context => HandleAsync(context, http, function, rules, allowOrigins));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new ApiGatewayStandIn(app, http, new Uri(address.TrimEnd('/') + "/"));
    }

    private static async Task HandleAsync(HttpContext context, HttpClient http, Uri function, Rules rules, IReadOnlyList<string> allowOrigins)
    {
        var incoming = context.Request;
        var origin = incoming.Headers.Origin.ToString();
        var allowedOrigin = allowOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase);
        if (HttpMethods.IsOptions(incoming.Method) && origin.Length > 0 && incoming.Headers.ContainsKey("Access-Control-Request-Method"))
        {
            var method = incoming.Headers.AccessControlRequestMethod.ToString();
            var headers = incoming.Headers.AccessControlRequestHeaders.ToString()
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            if (allowedOrigin && rules.AllowMethods.Contains(method, StringComparer.OrdinalIgnoreCase)
                && headers.All(h => rules.AllowHeaders.Contains(h, StringComparer.OrdinalIgnoreCase)))
            {
                context.Response.Headers.AccessControlAllowOrigin = origin;
                context.Response.Headers.AccessControlAllowMethods = string.Join(',', rules.AllowMethods);
                context.Response.Headers.AccessControlAllowHeaders = string.Join(',', rules.AllowHeaders);
                context.Response.Headers.AccessControlMaxAge = rules.MaxAgeSeconds.ToString();
                if (rules.AllowCredentials) context.Response.Headers.AccessControlAllowCredentials = "true";
            }
            return;
        }

        using var request = new HttpRequestMessage(new HttpMethod(incoming.Method), new Uri(function, incoming.PathBase + incoming.Path + incoming.QueryString));
        if (incoming.ContentLength > 0 || incoming.Headers.TransferEncoding.Count > 0)
            request.Content = new StreamContent(incoming.Body);
        foreach (var (name, values) in incoming.Headers)
        {
            if (HopByHopHeaders.Contains(name)) continue;
            if (!request.Headers.TryAddWithoutValidation(name, values.ToArray()))
                request.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            if (!HopByHopHeaders.Contains(name) && !name.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase))
                context.Response.Headers[name] = values.ToArray();
        if (allowedOrigin)
        {
            context.Response.Headers.AccessControlAllowOrigin = origin;
            context.Response.Headers.AccessControlExposeHeaders = string.Join(',', rules.ExposeHeaders);
            if (rules.AllowCredentials) context.Response.Headers.AccessControlAllowCredentials = "true";
            context.Response.Headers.Vary = "Origin";
        }
        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _http.Dispose();
    }
}
