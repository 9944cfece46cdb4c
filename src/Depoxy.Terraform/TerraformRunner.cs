using System.Diagnostics;
using System.Text.Json;
using Depoxy.Build.Engine;

namespace Depoxy.Terraform;

/// <summary>A stack's saved plan, its seal and its Markdown summary.</summary>
public sealed record PlannedStack(TerraformStack Stack, string PlanFile, PlanSummary Summary, PlanSeal Seal, string SummaryFile);

/// <summary>
/// Plan and Apply of the stage stacks: init with the stage's backend, plan to a sealed file with a summary,
/// apply exactly that file, read the outputs the deploy flow needs. A stage's stacks have separate states, so they
/// are planned and applied side by side; terraform's own output is then kept for the error message.
/// </summary>
public sealed class TerraformRunner(TerraformSettings settings, TerraformCli cli)
{
    public TerraformSettings Settings { get; } = settings;

    public async Task<IReadOnlyList<PlannedStack>> PlanAsync(IReadOnlyList<TerraformStack> stacks, CancellationToken cancellationToken = default) =>
        await Task.WhenAll(stacks.Select(stack => PlanAsync(stack, sideBySide: stacks.Count > 1, cancellationToken)));

    /// <param name="sideBySide">Other stacks run at the same time: terraform's lines are streamed behind the stack's name.</param>
    public async Task<PlannedStack> PlanAsync(TerraformStack stack, bool sideBySide = false, CancellationToken cancellationToken = default)
    {
        if (!stack.IsCi) ModulePins.EnsureCurrent(Settings.RootDirectory, stack);
        var directory = Workspace(stack);
        var planFile = Settings.PlanFile(stack);
        Directory.CreateDirectory(Path.GetDirectoryName(planFile)!);
        File.Delete(planFile);
        File.Delete(Settings.SealFile(stack));

        var clock = Stopwatch.StartNew();
        await cli.RunAsync(directory, TerraformArguments.Init(Settings, stack), !sideBySide, cancellationToken);
        var init = clock.Elapsed;
        // Pulled before planning: a state that moves while the plan runs can then only make Apply refuse, never pass.
        var state = await StateSnapshot.PullAsync(cli, stack, directory, cancellationToken);
        Settings.Released?.Check(stack, state, Settings.StateBucket, "plan");
        clock.Restart();
        // Side by side, only the saved summary shows the diff: three plans' diffs interleaved are unreadable.
        await LockingAsync(stack, () => cli.RunAsync(directory, TerraformArguments.Plan(Settings, stack), !sideBySide, cancellationToken));
        var plan = clock.Elapsed;
        if (!File.Exists(planFile))
            throw new TerraformException($"terraform plan for {stack} wrote no plan file at {planFile}: check the terraform output above.");

        var seal = new PlanSeal(stack.Stage, stack.Name, PlanSeal.HashFile(planFile), Settings.Commit, Settings.Version, state,
            Settings.Uncommitted.Count > 0 ? Settings.Uncommitted : null);
        seal.Write(Settings.SealFile(stack));

        var show = await cli.RunAsync(directory, TerraformArguments.Show(planFile), echoOutput: false, cancellationToken: cancellationToken);
        var summary = PlanSummary.Parse(show);
        var markdown = PlanMarkdown.Render(stack, summary, seal, stack.Stage == "prod" ? BehindDev(stack) : []);
        File.WriteAllText(Settings.SummaryFile(stack), markdown);
        File.WriteAllText(Path.ChangeExtension(Settings.SummaryFile(stack), ".json"), JsonSerializer.Serialize(new
        {
            stage = stack.Stage, stack = stack.Name, has_changes = summary.HasChanges, create = summary.Create, update = summary.Update,
            replace = summary.Replace, delete = summary.Delete, drifted = summary.Drift.Count, plan_sha256 = seal.Sha256,
            corrects_drift = summary.CorrectedDrift.Select(d => d.ToString()),
        }));
        GitHubActions.AppendToStepSummary(markdown);
        Log.Always($"{stack}: {summary.Create} to create, {summary.Update} to update, {summary.Replace} to replace, {summary.Delete} to delete" +
                   (summary.Drift.Count > 0 ? $", {summary.Drift.Count} drifted" : "") + $" (plan sha256 {seal.Sha256}; init {init.TotalSeconds:0.0} s, plan {plan.TotalSeconds:0.0} s)");
        foreach (var drift in summary.Drift) Log.Always($"{stack}: drifted {drift}");
        return new PlannedStack(stack, planFile, summary, seal, Settings.SummaryFile(stack));
    }

    /// <summary>
    /// Applies the stacks' sealed plans once every seal and every stack's state has been checked, so a refused stack
    /// leaves the stage as it was rather than part-applied.
    /// </summary>
    public async Task<IReadOnlyList<StackOutputs>> ApplyAsync(IReadOnlyList<TerraformStack> stacks, CancellationToken cancellationToken = default)
    {
        foreach (var stack in stacks) PlanSeal.Read(Settings.SealFile(stack)).Verify(stack, Settings.PlanFile(stack), Settings.Commit);
        var sideBySide = stacks.Count > 1;
        var verified = await Task.WhenAll(stacks.Select(stack => VerifyAsync(stack, sideBySide, cancellationToken)));
        return await Task.WhenAll(verified.Select(v => ApplyVerifiedAsync(v, sideBySide, cancellationToken)));
    }

    /// <summary>
    /// Applies the saved, sealed plan of <paramref name="stack"/> and returns its outputs. A plan without changes is
    /// not applied: there is nothing to do, and the outputs come from the state.
    /// </summary>
    public async Task<StackOutputs> ApplyAsync(TerraformStack stack, bool sideBySide = false, CancellationToken cancellationToken = default) =>
        await ApplyVerifiedAsync(await VerifyAsync(stack, sideBySide, cancellationToken), sideBySide, cancellationToken);

    private sealed record VerifiedStack(TerraformStack Stack, string Directory, TimeSpan Init);

    /// <summary>Throws unless the stack's plan is the sealed one, made against the stack's state as it is now, and that state is the one the stage's release ran on.</summary>
    private async Task<VerifiedStack> VerifyAsync(TerraformStack stack, bool sideBySide, CancellationToken cancellationToken)
    {
        var seal = PlanSeal.Read(Settings.SealFile(stack));
        seal.Verify(stack, Settings.PlanFile(stack), Settings.Commit);
        var directory = Workspace(stack);
        var clock = Stopwatch.StartNew();
        await cli.RunAsync(directory, TerraformArguments.Init(Settings, stack), !sideBySide, cancellationToken);
        var init = clock.Elapsed;
        var state = await StateSnapshot.PullAsync(cli, stack, directory, cancellationToken);
        Settings.Released?.Check(stack, state, Settings.StateBucket, "apply");
        seal.Verify(stack, Settings.PlanFile(stack), Settings.Commit, state);
        return new VerifiedStack(stack, directory, init);
    }

    private async Task<StackOutputs> ApplyVerifiedAsync(VerifiedStack verified, bool sideBySide, CancellationToken cancellationToken)
    {
        var (stack, directory, init) = verified;
        File.Delete(Settings.CorrectedDriftFile(stack));
        if (HasChanges(stack))
        {
            var clock = Stopwatch.StartNew();
            await LockingAsync(stack, () => cli.RunAsync(directory, TerraformArguments.Apply(Settings, Settings.PlanFile(stack)), true, cancellationToken,
                Echo(stack, sideBySide)));
            var apply = clock.Elapsed;
            // The state holds what each create or update returned, and the provider's next read normalises some of it
            // (null → {}, a bucket's view of its own lifecycle and policy): read back once now, the next plan of an
            // unchanged stack finds nothing drifted, on AWS as on the emulator.
            clock.Restart();
            await LockingAsync(stack, () => cli.RunAsync(directory, TerraformArguments.RefreshOnly(Settings, stack), echoOutput: false, cancellationToken));
            Log.Always($"{stack}: applied (init {init.TotalSeconds:0.0} s, apply {apply.TotalSeconds:0.0} s, state read back {clock.Elapsed.TotalSeconds:0.0} s)");
            if (PlannedCorrections(stack) is { Count: > 0 } corrected)
                File.WriteAllText(Settings.CorrectedDriftFile(stack), JsonSerializer.Serialize(corrected));
        }
        else
            Log.Always($"{stack}: no changes, nothing to apply");
        return await ReadOutputsAsync(stack, directory, cancellationToken);
    }

    /// <summary>The outputs of an already applied stack, from its state (for stacks this run did not apply).</summary>
    public async Task<StackOutputs> OutputsAsync(TerraformStack stack, CancellationToken cancellationToken = default)
    {
        var directory = Workspace(stack);
        await cli.RunAsync(directory, TerraformArguments.Init(Settings, stack), echoOutput: false, cancellationToken);
        return await ReadOutputsAsync(stack, directory, cancellationToken);
    }

    /// <summary>
    /// What the release flow needs of every stack of <paramref name="stage"/>: the outputs Apply saved for the stacks
    /// this run applied, the state's for the others, so a Deploy --stack api still finds www's and app's.
    /// </summary>
    public async Task<IReadOnlyList<StackOutputs>> StageOutputsAsync(string stage, CancellationToken cancellationToken = default)
    {
        var outputs = new List<StackOutputs>();
        foreach (var stack in TerraformStack.Select(stage, null))
            outputs.Add(File.Exists(Settings.OutputsFile(stack)) ? StackOutputs.Read(stack, Settings.OutputsFile(stack)) : await OutputsAsync(stack, cancellationToken));
        return outputs;
    }

    /// <summary>Whether any of the stage's saved plans had changes (a stack without a plan summary counts as changed).</summary>
    public bool PlannedChanges(string stage) => TerraformStack.Select(stage, null).Any(HasChanges);

    /// <summary>The lineage of each of <paramref name="stage"/>'s stack states now, for the release's ledger entry (stacks without state are left out).</summary>
    public async Task<IReadOnlyDictionary<string, string>> StateLineagesAsync(string stage, CancellationToken cancellationToken = default)
    {
        var states = await Task.WhenAll(TerraformStack.Select(stage, null).Select(async stack =>
        {
            var directory = Workspace(stack);
            // Apply or the outputs' read initialised every stack of the stage in this run; a folder without a backend was not.
            if (!File.Exists(Path.Combine(directory, ".terraform", "terraform.tfstate")))
                await cli.RunAsync(directory, TerraformArguments.Init(Settings, stack), echoOutput: false, cancellationToken);
            return (stack.Name, State: await StateSnapshot.PullAsync(cli, stack, directory, cancellationToken));
        }));
        return states.Where(s => s.State.Exists).ToDictionary(s => s.Name, s => s.State.Lineage!);
    }

    /// <summary>
    /// The drift the applies of this run put back in <paramref name="stage"/>'s stacks, taken once: the files are
    /// removed, so a later release does not claim an earlier apply's corrections.
    /// </summary>
    public IReadOnlyList<string> TakeCorrectedDrift(string stage)
    {
        var corrected = new List<string>();
        foreach (var file in TerraformStack.Select(stage, null).Select(Settings.CorrectedDriftFile).Where(File.Exists))
        {
            corrected.AddRange(JsonSerializer.Deserialize<List<string>>(File.ReadAllText(file)) ?? []);
            File.Delete(file);
        }
        return corrected;
    }

    private List<string> PlannedCorrections(TerraformStack stack)
    {
        var summary = Path.ChangeExtension(Settings.SummaryFile(stack), ".json");
        if (!File.Exists(summary)) return [];
        using var json = JsonDocument.Parse(File.ReadAllText(summary));
        return json.RootElement.TryGetProperty("corrects_drift", out var drift) && drift.ValueKind == JsonValueKind.Array
            ? [.. drift.EnumerateArray().Select(d => $"{stack}: {d.GetString()}")]
            : [];
    }

    /// <summary>The modules a prod stack pins below the version its dev twin runs.</summary>
    private IReadOnlyList<string> BehindDev(TerraformStack stack)
    {
        var dev = ModulePins.Of(Settings.RootDirectory, new TerraformStack("dev", stack.Name)).GroupBy(p => p.Module).ToDictionary(g => g.Key, g => g.First().Pinned);
        return [.. ModulePins.Of(Settings.RootDirectory, stack)
            .Where(p => dev.TryGetValue(p.Module, out var devVersion) && devVersion != p.Pinned)
            .Select(p => $"{p.Module} {p.Pinned} (dev runs {dev[p.Module]}; {p.File}:{p.Line})")
            .Distinct()];
    }

    private async Task LockingAsync(TerraformStack stack, Func<Task<string>> run)
    {
        try
        {
            await run();
        }
        catch (TerraformException e)
        {
            throw StateLockError.Describe(stack, Settings.StateBucket, e);
        }
    }

    private bool HasChanges(TerraformStack stack)
    {
        var summary = Path.ChangeExtension(Settings.SummaryFile(stack), ".json");
        if (!File.Exists(summary)) return true;
        using var json = JsonDocument.Parse(File.ReadAllText(summary));
        return !json.RootElement.TryGetProperty("has_changes", out var changes) || changes.ValueKind != JsonValueKind.False;
    }

    private async Task<StackOutputs> ReadOutputsAsync(TerraformStack stack, string directory, CancellationToken cancellationToken)
    {
        var json = await cli.RunAsync(directory, TerraformArguments.Output(), echoOutput: false, cancellationToken: cancellationToken);
        var outputs = StackOutputs.Parse(stack, json, SecretMasker.Register);
        var missing = StackOutputs.RequiredNames(stack.Name).Where(n => !outputs.Values.ContainsKey(n)).ToList();
        if (missing.Count > 0)
            throw new TerraformException($"tf/{stack.Stage}/{stack.Name} lacks the output(s) {string.Join(", ", missing)} the deploy flow reads: add them to its outputs.tf.");
        var file = Settings.OutputsFile(stack);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        outputs.Write(file);
        return outputs;
    }

    private static string? Echo(TerraformStack stack, bool sideBySide) => sideBySide ? stack.ToString() : null;

    private string Workspace(TerraformStack stack)
    {
        // tf/ci takes its modules from ../../modules; its scratch copy sits two levels below a copy of them.
        if (stack.IsCi) StackWorkspace.CopyModules(Path.Combine(Settings.RootDirectory, "modules"), Path.Combine(Settings.WorkDirectory, "modules"));
        return StackWorkspace.Prepare(stack.Directory(Settings.RootDirectory), Settings.StackWorkDirectory(stack), Settings.Modules);
    }
}
