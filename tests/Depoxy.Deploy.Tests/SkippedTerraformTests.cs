using Depoxy.Deploy.Flows;
using Depoxy.Packaging;

namespace Depoxy.Deploy.Tests;

public sealed class SkippedTerraformTests
{
    private const string Head = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private const string Earlier = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    private static ReleaseManifest Release(string commit) => new("20260101.100000-gaaaaaaa", commit, DateTimeOffset.UnixEpoch, []);

    [Fact]
    public void A_skipped_run_shipping_an_earlier_commit_says_which_release_that_it_is_not_HEAD_and_that_no_Terraform_ran()
    {
        Assert.Equal("--skip: shipping release 20260101.100000-gaaaaaaa of commit aaaaaaa, NOT HEAD (bbbbbbb): artifacts/release.json names what an earlier run chose; " +
                     "no Terraform ran, so dev's infrastructure is as last applied (drop --skip to ship HEAD with its Terraform)",
            SkippedTerraform.Describe("dev", Release(Earlier), Head));
    }

    [Fact]
    public void A_skipped_run_shipping_HEAD_says_so_and_that_no_Terraform_ran()
    {
        Assert.Equal("--skip: shipping release 20260101.100000-gaaaaaaa, built from HEAD (bbbbbbb); " +
                     "no Terraform ran, so prod's infrastructure is as last applied (drop --skip to ship HEAD with its Terraform)",
            SkippedTerraform.Describe("prod", Release(Head), Head));
    }
}
