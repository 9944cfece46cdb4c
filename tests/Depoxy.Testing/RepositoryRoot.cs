namespace Depoxy.Testing;

public static class RepositoryRoot
{
    /// <summary>The folder holding global.json, found from the test assembly's location upwards.</summary>
    public static string Path { get; } = Find();

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Node tools that <c>./build.sh Test</c> installs into tests/tools before any test runs.</summary>
    public static string NodeModule(string package)
    {
        var folder = Combine("tests", "tools", "node_modules", package);
        return Directory.Exists(folder)
            ? folder
            : throw new InvalidOperationException($"{package} is not installed: run ./build.sh Test (it runs npm ci in tests/tools)");
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "global.json")))
                return dir.FullName;
        throw new InvalidOperationException("global.json not found above " + AppContext.BaseDirectory);
    }
}
