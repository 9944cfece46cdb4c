using Depoxy.Aws;
using Depoxy.Sites;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: SiteSyncBench <site folder or zip> <bucket[/prefix]>");
    return 2;
}
try
{
    using var sync = new SiteSync(AwsEnvironment.FromProcess());
    var result = await sync.SyncAsync(args[0], args[1]);
    Console.WriteLine($"uploaded_files={result.UploadedFiles} uploaded_bytes={result.UploadedBytes} deleted={result.DeletedFiles} unchanged={result.UnchangedFiles}");
    return 0;
}
catch (Exception e) when (e is SiteSyncException or AwsConfigurationException)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
