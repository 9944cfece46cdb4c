namespace Depoxy.Sites.Tests;

public sealed class ChangeReferenceTests
{
    private static readonly SiteTarget Www = SiteTarget.Parse("depoxy-www");
    private static readonly DateTime Monday = new(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void The_same_change_gives_the_same_reference()
    {
        Assert.Equal(Plan("aaa", Monday, "bbb").ChangeReference(Www), Plan("aaa", Monday, "bbb").ChangeReference(Www));
        Assert.StartsWith("depoxy-", Plan("aaa", Monday, "bbb").ChangeReference(Www));
    }

    [Fact]
    public void Redeploying_earlier_content_over_a_newer_object_is_a_new_reference()
    {
        var first = Plan("aaa", Monday, "bbb").ChangeReference(Www);
        var again = Plan("aaa", Monday.AddHours(2), "bbb").ChangeReference(Www);
        Assert.NotEqual(first, again);
    }

    [Fact]
    public void Target_content_and_deletions_all_count()
    {
        var baseline = Plan("aaa", Monday, "bbb");
        Assert.NotEqual(baseline.ChangeReference(Www), baseline.ChangeReference(SiteTarget.Parse("depoxy-www/v2")));
        Assert.NotEqual(baseline.ChangeReference(Www), Plan("aaa", Monday, "ccc").ChangeReference(Www));
        var withDeletion = baseline with { Deletions = [new RemoteObject("old.html", "ddd", 3, Monday)] };
        Assert.NotEqual(baseline.ChangeReference(Www), withDeletion.ChangeReference(Www));
    }

    private static SyncPlan Plan(string oldETag, DateTime oldModified, string newMd5Hex)
    {
        var file = new SourceFile("index.html", "/site/index.html", 10);
        var upload = new PlannedUpload(file, ObjectHeaders.For(file.RelativePath), Convert.FromHexString(newMd5Hex.PadLeft(32, '0')),
            new RemoteObject("index.html", oldETag, 10, oldModified));
        return new SyncPlan([upload], [], 0, SyncManifest.Empty);
    }
}
