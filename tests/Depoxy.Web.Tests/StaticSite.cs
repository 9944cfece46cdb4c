using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace Depoxy.Web.Tests;

/// <summary>
/// Serves a site folder on a free loopback port the way its CloudFront distribution does: the bucket's files, plus
/// the files the deploy writes beside them (the app's config.json), and for the app any other path falls back to
/// index.html. The API is not here: it has its own origin.
/// </summary>
public sealed class StaticSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StaticSite(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <param name="deployed">Files the deploy writes into the bucket (path → JSON text), served no-cache like the rest.</param>
    /// <param name="port">The port to listen on; 0 takes a free one.</param>
    public static async Task<StaticSite> StartAsync(string root, bool spaFallback, int port = 0, IReadOnlyDictionary<string, string>? deployed = null)
    {
        if (!File.Exists(Path.Combine(root, "index.html")))
            throw new InvalidOperationException($"{root} has no index.html");

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();

        var files = new PhysicalFileProvider(Path.GetFullPath(root));
        var contentTypes = new FileExtensionContentTypeProvider();
        contentTypes.Mappings[".webmanifest"] = "application/manifest+json";
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = contentTypes,
            OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = "no-cache",
        });

        foreach (var (path, json) in deployed ?? new Dictionary<string, string>())
            app.MapGet(path, (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "no-cache";
                return Results.Text(json, "application/json");
            });
        if (spaFallback)
            app.MapFallback(context =>
            {
                context.Response.ContentType = "text/html; charset=utf-8";
                context.Response.Headers.CacheControl = "no-cache";
                return context.Response.SendFileAsync(files.GetFileInfo("index.html"));
            });

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.Single();
        return new StaticSite(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
