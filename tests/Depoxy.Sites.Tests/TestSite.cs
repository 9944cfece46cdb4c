using System.IO.Compression;

namespace Depoxy.Sites.Tests;

/// <summary>A small static site in a temporary folder, shaped like the www and app builds.</summary>
public sealed class TestSite : IDisposable
{
    public static readonly IReadOnlyDictionary<string, string> Files = new Dictionary<string, string>
    {
        ["index.html"] = "<!doctype html><title>Depoxy</title><link rel=stylesheet href=/assets/index-BQ7x2k9a.css>",
        ["about.html"] = "<!doctype html><title>About</title>",
        ["docs/index.html"] = "<!doctype html><title>Docs v1</title>",
        ["assets/app.3f9a1c2b.js"] = "console.log('app');",
        ["assets/index-BQ7x2k9a.css"] = "body{margin:0}",
        ["sw.js"] = "self.addEventListener('fetch',()=>{});",
        ["manifest.webmanifest"] = "{\"name\":\"Depoxy\"}",
        ["images/logo.svg"] = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ["robots.txt"] = "User-agent: *",
        ["fonts/inter.woff2"] = "wOF2-not-really-a-font",
        ["favicon.ico"] = "\0\0\u0001\0icon",
    };

    public TestSite()
    {
        Root = Directory.CreateTempSubdirectory("depoxy-site-test-").FullName;
        foreach (var (path, content) in Files) Write(path, content);
    }

    public string Root { get; }

    public void Write(string relativePath, string content)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    public void Delete(string relativePath) => File.Delete(Path.Combine(Root, relativePath));

    public string Zip(string folder)
    {
        var zip = Path.Combine(folder, "www.zip");
        ZipFile.CreateFromDirectory(Root, zip);
        return zip;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
