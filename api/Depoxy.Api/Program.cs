using Depoxy.Api.Auth;
using Depoxy.Api.Configuration;
using Depoxy.Api.Hosting;
using Depoxy.Api.Pipelines;
using Depoxy.Aws;

// The slim builder leaves out what a Lambda behind API Gateway never uses (HTTPS, IIS, static web assets): faster to
// start, and what the Native AOT build supports.
var builder = WebApplication.CreateSlimBuilder(args);

ApiSettings settings;
try
{
    settings = ApiSettingsReader.Read(name => builder.Configuration[name]);
}
catch (ApiConfigurationException e)
{
    foreach (var problem in e.Problems) Console.Error.WriteLine(problem);
    return 2;
}

builder.Logging.ClearProviders();
builder.Logging.AddJsonConsole(options =>
{
    options.UseUtcTimestamp = true;
    options.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
});
// The framework's per-request Information lines would flood CloudWatch; its warnings and errors still come through.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
// Authentication pulls in Data Protection, which Depoxy never uses; its key-ring warnings are noise on Lambda.
builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);

if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
    builder.WebHost.UseUrls($"http://127.0.0.1:{settings.ListenPort}");
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = RequestGuards.MaxBodyBytes);

builder.Services.AddDepoxyApi(settings, builder.Configuration);

var app = builder.Build();
// Missing AWS credentials should stop the start, not surface as a 500 on the first sign-in.
try
{
    app.Services.GetRequiredService<AwsEnvironment>();
}
catch (AwsConfigurationException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
// Loading the signing key while Kestrel starts takes it off the first readiness check's path.
app.Lifetime.ApplicationStarted.Register(() => _ = app.Services.GetRequiredService<SigningKeyProvider>().GetAsync());
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseBodyLimit();
app.UseCors();
app.UseOriginCheck(settings);
// Placed here, inside the exception handler, so a signing key that cannot be loaded answers 503, not a bare 500.
app.UseAuthentication();
app.UseAuthorization();

var api = app.MapGroup("/api/v1");
api.MapHealth();
api.MapAuth();
api.MapPipelines();

await app.RunAsync();
return 0;

/// <summary>The API's entry point; public so tests can host it with WebApplicationFactory&lt;Program&gt;.</summary>
public partial class Program;
