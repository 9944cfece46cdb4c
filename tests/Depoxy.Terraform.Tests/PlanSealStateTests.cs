namespace Depoxy.Terraform.Tests;

/// <summary>The seal's record of the state a plan was made against, read from real <c>terraform state pull</c>
/// output (Fixtures/state, captured from terraform 1.11.4 with a local backend: one apply, two more, then a state
/// written afresh), and the apply's refusal once that state moved.</summary>
public sealed class PlanSealStateTests : IDisposable
{
    private const string Commit = "0123456789abcdef0123456789abcdef01234567";
    private const string Lineage = "b9340cd5-9908-5b7c-b29d-3c2c257e83f8";
    private static readonly TerraformStack DevApi = new("dev", "api");
    private readonly string _folder = Directory.CreateTempSubdirectory("depoxy-seal-").FullName;

    private static StateSnapshot Pulled(string fixture) => StateSnapshot.Parse(DevApi, Fixtures.Read("state", fixture));

    private (string PlanFile, PlanSeal Seal) Sealed(StateSnapshot? state)
    {
        var planFile = Path.Combine(_folder, "plan-dev-api.tfplan");
        File.WriteAllText(planFile, "a saved plan");
        var seal = new PlanSeal("dev", "api", PlanSeal.HashFile(planFile), Commit, "20260101.000000-g0123456", state);
        var sealFile = planFile + ".json";
        seal.Write(sealFile);
        return (planFile, PlanSeal.Read(sealFile));
    }

    [Fact]
    public void State_pull_output_gives_the_lineage_and_serial()
    {
        Assert.Equal(new StateSnapshot(Lineage, 1), Pulled("pull-serial-1.json"));
        Assert.Equal(new StateSnapshot(Lineage, 3), Pulled("pull-serial-3.json"));
        Assert.Equal(new StateSnapshot("7269ca17-f353-c5f6-bd47-95ddd9346062", 1), Pulled("pull-new-lineage.json"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    public void Empty_state_pull_output_means_the_stack_has_no_state_yet(string output)
    {
        Assert.Equal("", Fixtures.Read("state", "pull-no-state.txt"));

        var snapshot = StateSnapshot.Parse(DevApi, output);

        Assert.Same(StateSnapshot.None, snapshot);
        Assert.False(snapshot.Exists);
    }

    [Fact]
    public void The_S3_backends_empty_state_for_a_new_stack_means_no_state_yet()
    {
        var snapshot = StateSnapshot.Parse(DevApi, Fixtures.Read("state", "pull-s3-no-state.json"));

        Assert.Same(StateSnapshot.None, snapshot);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"version":4,"serial":2}""")]
    [InlineData("""{"lineage":"b9340cd5","serial":"2"}""")]
    [InlineData("""{"lineage":"","serial":2}""")]
    [InlineData("[]")]
    public void Output_that_is_not_a_state_names_the_stack_and_its_state_object(string output)
    {
        var e = Assert.Throws<TerraformException>(() => StateSnapshot.Parse(DevApi, output));

        Assert.Contains("dev/api", e.Message);
        Assert.Contains("dev/api/terraform.tfstate", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task Pull_runs_terraform_state_pull_in_the_stack_folder_and_parses_its_output()
    {
        using var terraform = new StandInTerraform();
        terraform.Replay("state", Fixtures.Read("state", "pull-serial-3.json"));

        var snapshot = await StateSnapshot.PullAsync(new TerraformCli(terraform.Executable), DevApi, _folder);

        Assert.Equal(new StateSnapshot(Lineage, 3), snapshot);
        var pull = terraform.Calls()[^1];
        Assert.Equal(["state", "pull"], pull.Args);
        Assert.Equal(_folder, pull.Cwd);
    }

    [Fact]
    public void The_seal_keeps_the_state_through_its_file()
    {
        var (_, seal) = Sealed(Pulled("pull-serial-1.json"));

        Assert.Equal(new StateSnapshot(Lineage, 1), seal.State);
        Assert.Contains($"\"lineage\": \"{Lineage}\"", File.ReadAllText(Path.Combine(_folder, "plan-dev-api.tfplan.json")));
    }

    [Fact]
    public void A_plan_of_a_stack_without_state_stays_valid_while_the_stack_has_none()
    {
        var (planFile, seal) = Sealed(StateSnapshot.None);

        Assert.False(seal.State!.Exists);
        seal.Verify(DevApi, planFile, Commit, StateSnapshot.Parse(DevApi, ""));
    }

    [Fact]
    public void An_unchanged_state_passes()
    {
        var (planFile, seal) = Sealed(Pulled("pull-serial-3.json"));

        seal.Verify(DevApi, planFile, Commit, Pulled("pull-serial-3.json"));
    }

    [Fact]
    public void A_state_written_since_the_plan_is_refused_naming_the_stack_both_serials_and_the_fix()
    {
        var (planFile, seal) = Sealed(Pulled("pull-serial-1.json"));

        var e = Assert.Throws<TerraformException>(() => seal.Verify(DevApi, planFile, Commit, Pulled("pull-serial-3.json")));

        Assert.Contains($"Refusing {planFile}: the state of dev/api changed since it was planned", e.Message);
        Assert.Contains($"its serial moved from 1 to 3 (lineage {Lineage})", e.Message);
        Assert.Contains("Re-run the plan job for dev/api", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_state_written_afresh_is_refused_even_at_the_same_serial()
    {
        var (planFile, seal) = Sealed(Pulled("pull-serial-1.json"));

        var e = Assert.Throws<TerraformException>(() => seal.Verify(DevApi, planFile, Commit, Pulled("pull-new-lineage.json")));

        Assert.Contains($"its lineage changed from {Lineage} (serial 1) to 7269ca17-f353-c5f6-bd47-95ddd9346062 (serial 1)", e.Message);
    }

    [Fact]
    public void A_first_apply_by_someone_else_since_the_plan_is_refused()
    {
        var (planFile, seal) = Sealed(StateSnapshot.None);

        var e = Assert.Throws<TerraformException>(() => seal.Verify(DevApi, planFile, Commit, Pulled("pull-serial-1.json")));

        Assert.Contains("it had no state when planned and now has serial 1", e.Message);
    }

    [Fact]
    public void A_state_deleted_since_the_plan_is_refused()
    {
        var (planFile, seal) = Sealed(Pulled("pull-serial-3.json"));

        var e = Assert.Throws<TerraformException>(() => seal.Verify(DevApi, planFile, Commit, StateSnapshot.None));

        Assert.Contains("it had serial 3", e.Message);
        Assert.Contains("now has no state", e.Message);
    }

    [Fact]
    public void A_seal_that_recorded_no_state_is_refused_once_the_apply_checks_the_state()
    {
        var (planFile, seal) = Sealed(state: null);

        seal.Verify(DevApi, planFile, Commit);
        var e = Assert.Throws<TerraformException>(() => seal.Verify(DevApi, planFile, Commit, Pulled("pull-serial-1.json")));

        Assert.Contains("does not record the state dev/api was planned against", e.Message);
        Assert.Contains("Re-run the plan job for dev/api", e.Message);
    }

    [Fact]
    public void The_bytes_and_commit_are_still_checked_before_the_state()
    {
        var (planFile, seal) = Sealed(Pulled("pull-serial-1.json"));
        File.AppendAllText(planFile, "tampered");

        var e = Assert.Throws<TerraformException>(() => seal.Verify(DevApi, planFile, Commit, Pulled("pull-serial-1.json")));

        Assert.Contains("sha256", e.Message);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
