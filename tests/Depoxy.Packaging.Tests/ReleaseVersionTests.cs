namespace Depoxy.Packaging.Tests;

public sealed class ReleaseVersionTests : IDisposable
{
    private readonly TempRepository _repo = new();

    [Fact]
    public async Task Version_is_the_committer_time_in_utc_and_the_short_sha()
    {
        var commit = await _repo.Write("a.txt", "a").CommitAsync();

        var version = await ReleaseVersion.ResolveAsync(_repo.Root, null, allowDirty: false);

        Assert.Equal("20240102.030405-g" + commit[..7], version.Value);
        Assert.Equal(commit, version.Commit);
        Assert.False(ReleaseVersion.IsDirty(version.Value));
    }

    [Fact]
    public void Versions_of_later_commits_sort_after_earlier_ones()
    {
        var early = ReleaseVersion.FromCommit(DateTimeOffset.Parse("2024-12-31T23:59:59+02:00"), "ffffffffff");
        var late = ReleaseVersion.FromCommit(DateTimeOffset.Parse("2025-01-01T00:00:00Z"), "0000000000");

        Assert.Equal("20241231.215959-gfffffff", early);
        Assert.True(string.CompareOrdinal(early, late) < 0);
    }

    [Fact]
    public async Task A_dirty_tree_is_refused_without_allow_dirty()
    {
        await _repo.Write("a.txt", "a").CommitAsync();
        _repo.Write("a.txt", "changed");

        var error = await Assert.ThrowsAsync<PackagingException>(() => ReleaseVersion.ResolveAsync(_repo.Root, null, allowDirty: false));

        Assert.Contains("uncommitted changes", error.Message);
        Assert.Contains("--allow-dirty", error.Message);
    }

    [Fact]
    public async Task An_untracked_file_makes_the_tree_dirty_too()
    {
        await _repo.Write("a.txt", "a").CommitAsync();
        _repo.Write("new.txt", "new");

        await Assert.ThrowsAsync<PackagingException>(() => ReleaseVersion.ResolveAsync(_repo.Root, null, allowDirty: false));
    }

    [Fact]
    public async Task An_allowed_dirty_build_is_marked_so_it_cannot_be_promoted()
    {
        await _repo.Write("a.txt", "a").CommitAsync();
        _repo.Write("a.txt", "changed");

        var version = await ReleaseVersion.ResolveAsync(_repo.Root, null, allowDirty: true);

        Assert.True(ReleaseVersion.IsDirty(version.Value));
        Assert.StartsWith("20240102.030405-g", version.Value);
        Assert.Matches(@"-dirty\.\d{14}$", version.Value);
    }

    [Fact]
    public async Task An_override_is_used_as_given_and_validated()
    {
        await _repo.Write("a.txt", "a").CommitAsync();

        Assert.Equal("1.2.3", (await ReleaseVersion.ResolveAsync(_repo.Root, "1.2.3", allowDirty: false)).Value);
        var bad = await Assert.ThrowsAsync<PackagingException>(() => ReleaseVersion.ResolveAsync(_repo.Root, "1.2/3", allowDirty: false));
        Assert.Contains("--version '1.2/3' is not valid", bad.Message);
        var fake = await Assert.ThrowsAsync<PackagingException>(() => ReleaseVersion.ResolveAsync(_repo.Root, "1.2.3-dirty", allowDirty: false));
        Assert.Contains("-dirty", fake.Message);
    }

    [Theory]
    [InlineData("20240102.030405-gabcdef1", false)]
    [InlineData("20240102.030405-gabcdef1-dirty.20240102030405", true)]
    [InlineData("1.0.0-dirty", true)]
    [InlineData("1.0.0-dirtyish", false)]
    public void IsDirty_recognises_dirty_versions(string version, bool dirty) =>
        Assert.Equal(dirty, ReleaseVersion.IsDirty(version));

    [Fact]
    public async Task Outside_a_git_repository_the_error_says_so()
    {
        var error = await Assert.ThrowsAsync<PackagingException>(() => ReleaseVersion.ResolveAsync(_repo.Root, null, allowDirty: false));

        Assert.Contains("git clone", error.Message);
    }

    public void Dispose() => _repo.Dispose();
}
