namespace Depoxy.Sites.Tests;

public sealed class InvalidationPathsTests
{
    [Fact]
    public void Index_pages_are_also_invalidated_as_their_folder()
    {
        var paths = InvalidationPaths.For(["index.html", "docs/index.html", "docs/guide.html"], 15);
        Assert.Equal(["/", "/docs/", "/docs/guide.html", "/docs/index.html", "/index.html"], paths);
    }

    [Fact]
    public void Unsafe_characters_are_url_encoded_per_segment()
    {
        var paths = InvalidationPaths.For(["my docs/a*b.html", "ünï.txt"], 15);
        Assert.Equal(["/%C3%BCn%C3%AF.txt", "/my%20docs/a%2Ab.html"], paths);
    }

    [Fact]
    public void More_paths_than_the_threshold_collapse_to_everything()
    {
        var fifteen = Enumerable.Range(0, 15).Select(i => $"p{i:00}.html").ToList();
        Assert.Equal(15, InvalidationPaths.For(fifteen, 15).Count);
        Assert.Equal([InvalidationPaths.Everything], InvalidationPaths.For([.. fifteen, "p15.html"], 15));
        Assert.Equal([InvalidationPaths.Everything], InvalidationPaths.For(["a/index.html", "b/index.html"], 3));
    }

    [Fact]
    public void No_changes_give_no_paths() => Assert.Empty(InvalidationPaths.For([], 15));
}
