using Depoxy.Packaging.Zip;

namespace Depoxy.Packaging.Tests;

/// <summary>
/// Links are refused with one line naming the link, where it points and the fix: following one put a file from
/// outside the repository into www.zip, and dangling links and loops gave raw exceptions.
/// </summary>
public sealed class SymbolicLinkTests : IDisposable
{
    private const string Fix = "releases carry no links; replace it with a copy of the file it names, or delete it.";
    private readonly TempRepository _repo = new("repo");
    private readonly string _outside = Directory.CreateTempSubdirectory("depoxy-outside-").FullName;

    public SymbolicLinkTests()
    {
        _repo.Write("www/index.html", "<!doctype html><title>Depoxy</title>");
        File.WriteAllText(Path.Combine(_outside, "secret.txt"), "a file outside the repository");
    }

    private Task<string> PackageWwwAsync() =>
        new SitePackager(_repo.Root).PackageAsync("www", Path.Combine(_repo.Root, "artifacts", "www.zip"));

    [Fact]
    public async Task A_link_to_a_file_outside_the_repository_is_refused_and_its_content_never_reaches_a_zip()
    {
        var target = Path.Combine(_outside, "secret.txt");
        File.CreateSymbolicLink(_repo["www/leak.txt"], target);

        var error = await Assert.ThrowsAsync<PackagingException>(PackageWwwAsync);

        Assert.Equal($"www/leak.txt is a symbolic link (to {target}): {Fix}", error.Message);
        Assert.False(File.Exists(_repo["artifacts/www.zip"]));
    }

    [Fact]
    public async Task A_dangling_link_gets_the_same_one_line_refusal_not_a_FileNotFoundException()
    {
        File.CreateSymbolicLink(_repo["www/gone.css"], "assets/gone.css");

        var error = await Assert.ThrowsAsync<PackagingException>(PackageWwwAsync);

        Assert.Equal($"www/gone.css is a symbolic link (to assets/gone.css, which does not exist): {Fix}", error.Message);
    }

    [Fact]
    public async Task A_link_loop_gets_the_same_one_line_refusal_not_too_many_levels_of_symbolic_links()
    {
        File.CreateSymbolicLink(_repo["www/a"], "b");
        File.CreateSymbolicLink(_repo["www/b"], "a");

        var error = await Assert.ThrowsAsync<PackagingException>(PackageWwwAsync);

        Assert.Equal($"www/a is a symbolic link (to b, a loop of links): {Fix}", error.Message);
    }

    [Fact]
    public async Task A_folder_link_back_into_the_site_is_refused_instead_of_walked_forever()
    {
        Directory.CreateSymbolicLink(_repo["www/again"], ".");

        var error = await Assert.ThrowsAsync<PackagingException>(PackageWwwAsync);

        Assert.Equal($"www/again is a symbolic link (to .): {Fix}", error.Message);
    }

    [Fact]
    public async Task A_site_folder_that_is_itself_a_link_out_of_the_repository_is_refused()
    {
        Directory.Delete(_repo["www"], recursive: true);
        Directory.CreateSymbolicLink(_repo["www"], _outside);

        var error = await Assert.ThrowsAsync<PackagingException>(PackageWwwAsync);

        Assert.Equal($"www of site www leads through a symbolic link to {_outside}, outside the repository: replace the link with the folder itself.", error.Message);
        Assert.False(File.Exists(_repo["artifacts/www.zip"]));
    }

    [Fact]
    public void A_zip_input_listed_by_hand_that_is_a_link_is_refused_too()
    {
        File.CreateSymbolicLink(_repo["www/leak.txt"], Path.Combine(_outside, "secret.txt"));
        var output = new MemoryStream();

        var error = Assert.Throws<PackagingException>(() =>
            DeterministicZip.Write(output, [new ZipInput("leak.txt", _repo["www/leak.txt"], FileModes.Regular)]));

        Assert.StartsWith($"{_repo["www/leak.txt"]} (zip entry leak.txt) is a symbolic link (to {Path.Combine(_outside, "secret.txt")}): ", error.Message);
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public async Task A_site_without_links_still_packages()
    {
        Assert.True(File.Exists(await PackageWwwAsync()));
    }

    public void Dispose()
    {
        _repo.Dispose();
        Directory.Delete(_outside, recursive: true);
    }
}
