using Depoxy.Build.Engine;

namespace Depoxy.Terraform.Tests;

/// <summary>Only committed Terraform is planned or applied; dev may be told otherwise, prod may not, and prod runs only commits on main.</summary>
public sealed class CommittedTerraformTests : IAsyncLifetime
{
    private static readonly IReadOnlyDictionary<string, string?> Git = new Dictionary<string, string?>
    {
        ["GIT_AUTHOR_NAME"] = "Test",
        ["GIT_AUTHOR_EMAIL"] = "test@example.com",
        ["GIT_COMMITTER_NAME"] = "Test",
        ["GIT_COMMITTER_EMAIL"] = "test@example.com",
        ["GIT_CONFIG_GLOBAL"] = "/dev/null",
        ["GIT_CONFIG_NOSYSTEM"] = "1",
    };

    private readonly string _root = Directory.CreateTempSubdirectory("depoxy-committed-tf-").FullName;

    public async Task InitializeAsync()
    {
        Write("tf/prod/www/main.tf", "# prod www\n");
        Write("tf/dev/www/main.tf", "# dev www\n");
        Write("modules/site/main.tf", "# site\n");
        await GitAsync("init", "-q", "-b", "main");
        await GitAsync("add", "-A");
        await GitAsync("commit", "-q", "-m", "stacks");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private async Task GitAsync(params string[] arguments) => await Tool.RunAsync("git", arguments, _root, Git, echoOutput: false);

    [Fact]
    public async Task A_clean_tree_on_main_is_planned_for_both_stages()
    {
        Assert.Empty(await CommittedTerraform.EnsureAsync(_root, "dev", allowDirty: false, "plan"));
        Assert.Empty(await CommittedTerraform.EnsureAsync(_root, "prod", allowDirty: false, "plan"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Prod_refuses_an_uncommitted_edit_naming_the_file_whatever_the_flags(bool allowDirty)
    {
        Write("tf/prod/www/main.tf", "# prod www, edited\n");

        var error = await Assert.ThrowsAsync<TerraformException>(() => CommittedTerraform.EnsureAsync(_root, "prod", allowDirty, "plan"));

        Assert.Equal("refusing to plan prod: tf/ or modules/ differ from HEAD (tf/prod/www/main.tf); prod runs only committed Terraform, " +
                     "whatever the flags: commit the change to main (or git stash it) and run again", error.Message);
    }

    [Fact]
    public async Task Dev_refuses_an_uncommitted_module_unless_allow_dirty_which_returns_the_files_for_the_seal()
    {
        Write("modules/site/extra.tf", "# new\n");

        var error = await Assert.ThrowsAsync<TerraformException>(() => CommittedTerraform.EnsureAsync(_root, "dev", allowDirty: false, "apply"));
        var allowed = await CommittedTerraform.EnsureAsync(_root, "dev", allowDirty: true, "apply");

        Assert.Equal("refusing to apply dev: tf/ or modules/ differ from HEAD (modules/site/extra.tf); commit or stash them, " +
                     "or pass --allow-dirty to apply them anyway (dev only; the seal and the ledger record the files)", error.Message);
        Assert.Equal(["modules/site/extra.tf"], allowed);
    }

    [Fact]
    public async Task Prod_refuses_a_commit_that_is_not_on_main()
    {
        await GitAsync("checkout", "-q", "-b", "feature");
        Write("tf/prod/www/main.tf", "# prod www, on a branch\n");
        await GitAsync("commit", "-q", "-am", "branch");

        var error = await Assert.ThrowsAsync<TerraformException>(() => CommittedTerraform.EnsureAsync(_root, "prod", allowDirty: true, "apply"));

        Assert.StartsWith("refusing to apply prod: commit ", error.Message);
        Assert.EndsWith(" is not on main (refs/heads/main); prod runs only commits on main: merge it, then run from main", error.Message);
        Assert.Empty(await CommittedTerraform.EnsureAsync(_root, "dev", allowDirty: false, "apply"));
    }

    [Fact]
    public void A_plan_of_uncommitted_files_is_applied_only_on_dev_with_allow_dirty()
    {
        var seal = new PlanSeal("dev", "www", new string('a', 64), "c0ffee", "1.0", Uncommitted: ["tf/dev/www/main.tf"]);
        var clean = seal with { Uncommitted = null };

        var withoutFlag = Assert.Throws<TerraformException>(() => CommittedTerraform.EnsureSealsApplicable("dev", allowDirty: false, [clean, seal]));
        var onProd = Assert.Throws<TerraformException>(() => CommittedTerraform.EnsureSealsApplicable("prod", allowDirty: true, [seal with { Stage = "prod" }]));
        CommittedTerraform.EnsureSealsApplicable("dev", allowDirty: true, [clean, seal]);
        CommittedTerraform.EnsureSealsApplicable("prod", allowDirty: false, [clean with { Stage = "prod" }]);

        Assert.Equal("refusing to apply dev/www: its plan was made from uncommitted Terraform (tf/dev/www/main.tf); commit it and plan again, or pass --allow-dirty", withoutFlag.Message);
        Assert.Equal("refusing to apply prod/www: its plan was made from uncommitted Terraform (tf/dev/www/main.tf); prod applies only plans of a commit on main: commit, then run the plan job again", onProd.Message);
    }
}
