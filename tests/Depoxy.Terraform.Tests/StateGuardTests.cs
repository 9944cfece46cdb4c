namespace Depoxy.Terraform.Tests;

/// <summary>
/// What a plan or apply checks before terraform changes anything: a released stage's stacks only on the state its
/// release ran on (a missing, empty or replaced state is refused, naming the key and RestoreState), every seal and
/// state before any apply, state locks named with their holder, and dev's module sources at each module's VERSION.
/// </summary>
public sealed class StateGuardTests : IDisposable
{
    private const string Commit = "0123456789abcdef0123456789abcdef01234567";
    private const string Lineage = "b9340cd5-9908-5b7c-b29d-3c2c257e83f8";
    private readonly StandInTerraform _terraform = new();
    private readonly string _root = Directory.CreateTempSubdirectory("depoxy-state-guard-").FullName;
    private readonly TerraformSettings _settings;

    public StateGuardTests()
    {
        foreach (var stack in TerraformStack.Names) Directory.CreateDirectory(Path.Combine(_root, "tf", "dev", stack));
        _settings = new TerraformSettings(_root, "depoxy-terraform-state", "depoxy-artifacts-dev", "eu-west-1", "1.4.0", Commit);
        _terraform.Replay("show", Fixtures.Read("show", "www-no-changes.json"));
        _terraform.Replay("output", Fixtures.Read("output-api.json"));
    }

    private TerraformRunner Runner(RecordedRelease? released) => new(_settings with { Released = released }, new TerraformCli(_terraform.Executable));

    private static RecordedRelease Released(IReadOnlyDictionary<string, string>? lineages = null) =>
        new("dev", "20260101.100000-gaaaaaaa", lineages ?? new Dictionary<string, string>());

    private IReadOnlyList<string> Subcommands() => [.. _terraform.Calls().Select(c => c.Args[0])];

    [Theory]
    [InlineData("pull-no-state.txt")]
    [InlineData("pull-s3-no-state.json")]
    public async Task A_released_stage_whose_stack_state_is_missing_or_empty_is_refused_before_terraform_plans(string pulled)
    {
        _terraform.Replay("state", Fixtures.Read("state", pulled));

        var e = await Assert.ThrowsAsync<TerraformException>(() => Runner(Released()).PlanAsync(new TerraformStack("dev", "www")));

        Assert.Equal("Refusing to plan dev/www: its state s3://depoxy-terraform-state/dev/www/terraform.tfstate is missing or empty, while dev runs release " +
                     "20260101.100000-gaaaaaaa, so terraform would create the stack again beside its live resources. Bring the last good state back with " +
                     "./build.sh RestoreState --stage dev --stack www (the state bucket keeps every version), then run again.", e.Message);
        Assert.DoesNotContain("plan", Subcommands());
    }

    [Fact]
    public async Task A_stage_never_released_may_plan_its_stacks_from_no_state()
    {
        _terraform.Replay("state", Fixtures.Read("state", "pull-no-state.txt"));

        await Runner(null).PlanAsync(new TerraformStack("dev", "www"));

        Assert.Contains("plan", Subcommands());
    }

    [Fact]
    public async Task A_state_of_another_lineage_than_the_release_ran_on_is_refused_and_no_stack_is_applied()
    {
        _terraform.Replay("state", Fixtures.Read("state", "pull-serial-3.json"));
        var stacks = TerraformStack.Select("dev", null);
        await Runner(null).PlanAsync(stacks);
        var planned = _terraform.Calls().Count;

        var e = await Assert.ThrowsAsync<TerraformException>(() => Runner(Released(new Dictionary<string, string>
        {
            ["api"] = Lineage, ["www"] = Lineage, ["app"] = "7269ca17-f353-c5f6-bd47-95ddd9346062",
        })).ApplyAsync(stacks));

        Assert.StartsWith($"Refusing to apply dev/app: its state s3://depoxy-terraform-state/dev/app/terraform.tfstate has lineage {Lineage}, " +
                          "not the 7269ca17-f353-c5f6-bd47-95ddd9346062 release 20260101.100000-gaaaaaaa ran on (it was replaced)", e.Message);
        Assert.DoesNotContain("apply", Subcommands().Skip(planned));
    }

    [Fact]
    public async Task Apply_checks_every_stacks_state_serial_before_applying_any()
    {
        _terraform.Replay("state", Fixtures.Read("state", "pull-serial-1.json"));
        var stacks = TerraformStack.Select("dev", null);
        await Runner(null).PlanAsync(stacks);
        File.WriteAllText(_settings.SealFile(stacks[2]), File.ReadAllText(_settings.SealFile(stacks[2])).Replace("\"serial\": 1", "\"serial\": 0"));
        var planned = _terraform.Calls().Count;

        var e = await Assert.ThrowsAsync<TerraformException>(() => Runner(null).ApplyAsync(stacks));

        Assert.Contains("the state of dev/app changed since it was planned (its serial moved from 0 to 1", e.Message);
        Assert.DoesNotContain("apply", Subcommands().Skip(planned));
    }

    [Fact]
    public async Task A_held_state_lock_is_one_line_naming_the_lock_its_holder_and_BreakLock()
    {
        _terraform.Replay("plan", stderr: """

            Error: Error acquiring the state lock

            Error message: operation error S3: PutObject, https response error StatusCode: 412, PreconditionFailed
            Lock Info:
              ID:        6a3c2ad4-2c2b-1c8e-5bd9-0c6f3f0ce2a8
              Path:      depoxy-terraform-state/dev/www/terraform.tfstate
              Operation: OperationTypeApply
              Who:       runner@ci-host
              Version:   1.11.4
              Created:   2026-12-07 01:02:03.456 +0000 UTC
              Info:

            Terraform acquires a state lock to protect the state from being written
            by multiple users at the same time. Please resolve the issue above and try
            again. For most commands, you can disable locking with the "-lock=false"
            flag, but this is not recommended.
            """, exitCode: 1);

        var e = await Assert.ThrowsAsync<TerraformException>(() => Runner(null).PlanAsync(new TerraformStack("dev", "www")));

        Assert.Equal("terraform's state lock s3://depoxy-terraform-state/dev/www/terraform.tfstate.tflock is held by runner@ci-host (OperationTypeApply since " +
                     "2026-12-07 01:02:03.456 +0000 UTC): let that run finish, or if it is dead, run ./build.sh BreakLock --stage dev and try again.", e.Message);
        Assert.Contains("-lock-timeout=1m", _terraform.Calls().Single(c => c.Args[0] == "plan").Args);
    }

    private void Pin(string stage, string stack, string version) =>
        File.WriteAllText(Path.Combine(_root, "tf", stage, stack, "main.tf"),
            $"module \"lambda\" {{\n  source = \"s3::https://s3-eu-west-1.amazonaws.com/depoxy-terraform-modules/modules/lambda/{version}/lambda.zip\"\n}}\n");

    private void ModuleVersion(string version)
    {
        Directory.CreateDirectory(Path.Combine(_root, "modules", "lambda"));
        File.WriteAllText(Path.Combine(_root, "modules", "lambda", "VERSION"), version + "\n");
    }

    [Fact]
    public async Task A_dev_stack_pinning_a_module_below_its_VERSION_is_refused_naming_file_line_and_fix_before_terraform_runs()
    {
        ModuleVersion("0.3.0");
        Pin("dev", "api", "0.2.0");

        var e = await Assert.ThrowsAsync<TerraformException>(() => Runner(null).PlanAsync(new TerraformStack("dev", "api")));

        Assert.Equal("tf/dev/api/main.tf:2: module lambda is pinned at 0.2.0 but modules/lambda/VERSION is 0.3.0: change the source to " +
                     ".../modules/lambda/0.3.0/lambda.zip (dev runs every module's current version)", e.Message);
        Assert.Empty(_terraform.Calls());
    }

    [Fact]
    public async Task Prod_may_run_an_older_module_and_its_plan_summary_lists_it_behind_dev()
    {
        ModuleVersion("0.3.0");
        Pin("dev", "api", "0.3.0");
        Directory.CreateDirectory(Path.Combine(_root, "tf", "prod", "api"));
        Pin("prod", "api", "0.2.0");

        var planned = await Runner(null).PlanAsync(new TerraformStack("prod", "api"));

        var markdown = File.ReadAllText(planned.SummaryFile);
        Assert.Contains("**Modules behind dev:** prod/api runs 1 module(s) at an older version than dev:", markdown);
        Assert.Contains("- lambda 0.2.0 (dev runs 0.3.0; tf/prod/api/main.tf:2)", markdown);
    }

    public void Dispose()
    {
        _terraform.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
