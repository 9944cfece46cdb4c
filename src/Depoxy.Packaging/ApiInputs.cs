using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace Depoxy.Packaging;

/// <summary>
/// Everything that goes into api.zip, hashed: the API project's folder and those of the projects it references
/// (transitively, bin/ and obj/ left out), the files its projects take from elsewhere (the CORS rules it embeds), the
/// MSBuild and SDK files the build reads (Directory.*.props/targets, global.json, NuGet.config), the SDK that builds
/// it and the publish settings. Two trees with the same hash publish the same bytes, so Package may reuse a build.
/// </summary>
public sealed class ApiInputs(string repositoryRoot, string project, string sdkVersion, IReadOnlyList<string> publishSettings)
{
    private static readonly string[] BuildFiles =
        ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "NuGet.config", "nuget.config"];

    private static readonly string[] ProjectOutputFolders = ["bin", "obj"];

    /// <summary>The API's inputs as built by <see cref="ApiPackager"/>, with the SDK <c>dotnet --version</c> picks in the repository.</summary>
    public static async Task<ApiInputs> OfRepositoryAsync(string repositoryRoot, string project = ApiPackager.DefaultProject,
        CancellationToken cancellationToken = default) =>
        new(repositoryRoot, project, await SdkVersionAsync(repositoryRoot, cancellationToken),
            [.. ApiPackager.ReproducibleProperties, "-r " + ApiPackager.RuntimeIdentifier]);

    public static async Task<string> SdkVersionAsync(string repositoryRoot, CancellationToken cancellationToken = default) =>
        (await Depoxy.Build.Engine.Tool.RunAsync("dotnet", ["--version"], repositoryRoot, echoOutput: false, cancellationToken: cancellationToken))
        .StandardOutput.Trim();

    /// <summary>Every input file, relative to the repository ('/' separated), sorted.</summary>
    public IReadOnlyList<string> Files()
    {
        var root = Path.GetFullPath(repositoryRoot);
        var projects = ReferencedProjects(Path.GetFullPath(Path.Combine(root, project)));
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var projectFile in projects)
        {
            var folder = Path.GetDirectoryName(projectFile)!;
            foreach (var file in FolderFiles(folder)) files.Add(Relative(root, file));
            foreach (var outside in ItemsOutside(projectFile, folder)) files.Add(Relative(root, outside));
            for (var directory = folder; directory.StartsWith(root, StringComparison.Ordinal); directory = Path.GetDirectoryName(directory)!)
            {
                foreach (var name in BuildFiles.Where(name => File.Exists(Path.Combine(directory, name))))
                    files.Add(Relative(root, Path.Combine(directory, name)));
                if (directory == root) break;
            }
        }
        return [.. files];
    }

    public string Hash()
    {
        var digests = Files().Select(file => (file, ContentHash.OfFile(Path.Combine(repositoryRoot, file))))
            .Append(("sdk", Sha256(sdkVersion)))
            .Concat(publishSettings.Select((setting, index) => ($"setting {index}", Sha256(setting))));
        return ContentHash.Combine(digests);
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static IReadOnlyList<string> ReferencedProjects(string start)
    {
        var found = new List<string>();
        var pending = new Stack<string>([start]);
        while (pending.TryPop(out var projectFile))
        {
            if (found.Contains(projectFile)) continue;
            if (!File.Exists(projectFile)) throw new PackagingException($"{projectFile} not found: fix the ProjectReference that names it.");
            found.Add(projectFile);
            foreach (var reference in Includes(projectFile, "ProjectReference")) pending.Push(reference);
        }
        return found;
    }

    /// <summary>Files a project takes from outside its folder (EmbeddedResource, Content, None, Compile), such as modules/api-gateway/cors.json.</summary>
    private static IEnumerable<string> ItemsOutside(string projectFile, string folder) =>
        new[] { "EmbeddedResource", "Content", "None", "Compile" }
            .SelectMany(item => Includes(projectFile, item))
            .Where(path => !path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Select(path => path.IndexOfAny(['*', '?']) >= 0
                ? throw new PackagingException($"{projectFile} includes {path} by a wildcard from outside its folder: name the file, so the API's build inputs are known.")
                : path)
            .Where(File.Exists);

    private static IEnumerable<string> Includes(string projectFile, string item) =>
        XDocument.Load(projectFile).Descendants(item)
            .Select(element => (string?)element.Attribute("Include"))
            .OfType<string>()
            .SelectMany(include => include.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(include => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(projectFile)!, include.Replace('\\', '/'))));

    private static IEnumerable<string> FolderFiles(string folder) =>
        Directory.EnumerateFiles(folder).Concat(Directory.EnumerateDirectories(folder)
            .Where(directory => !ProjectOutputFolders.Contains(Path.GetFileName(directory)))
            .SelectMany(FolderFiles));

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
}
