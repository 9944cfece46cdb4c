using Depoxy.Build.Engine;

namespace Depoxy.Packaging.Tests;

/// <summary>A throw-away git repository with a fixed committer date, so its version is known in advance.</summary>
public sealed class TempRepository : IDisposable
{
    public const string CommitDate = "2024-01-02T03:04:05Z";

    public static readonly IReadOnlyDictionary<string, string?> GitEnvironment = new Dictionary<string, string?>
    {
        ["GIT_AUTHOR_NAME"] = "Test",
        ["GIT_AUTHOR_EMAIL"] = "test@example.com",
        ["GIT_COMMITTER_NAME"] = "Test",
        ["GIT_COMMITTER_EMAIL"] = "test@example.com",
        ["GIT_AUTHOR_DATE"] = CommitDate,
        ["GIT_COMMITTER_DATE"] = CommitDate,
        ["GIT_CONFIG_GLOBAL"] = "/dev/null",
        ["GIT_CONFIG_NOSYSTEM"] = "1",
    };

    private readonly string _base = Directory.CreateTempSubdirectory("depoxy-pkg-").FullName;

    /// <param name="nesting">Folders between the temporary folder and the repository, to vary its location.</param>
    public TempRepository(string nesting = "")
    {
        Root = Path.Combine(_base, nesting);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string this[string relative] => Path.Combine(Root, relative);

    public TempRepository Write(string relative, string content)
    {
        var path = this[relative];
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return this;
    }

    public async Task<string> CommitAsync()
    {
        if (!Directory.Exists(this[".git"])) await GitAsync("init", "-q", "-b", "main");
        await File.WriteAllTextAsync(this[".gitignore"], "artifacts/\n");
        await GitAsync("add", "-A");
        await GitAsync("commit", "-q", "--allow-empty", "-m", "fixture");
        return (await GitAsync("rev-parse", "HEAD")).Trim();
    }

    public async Task<string> GitAsync(params string[] arguments) =>
        (await Tool.RunAsync("git", arguments, Root, GitEnvironment, echoOutput: false)).StandardOutput;

    public void Dispose()
    {
        try { Directory.Delete(_base, recursive: true); }
        catch (IOException) { }
    }
}
