using System.Text.Json;
using Depoxy.Build.Engine;

namespace Depoxy.Terraform;

/// <summary>A stack's saved plan, its seal and its Markdown summary.</summary>
public sealed record PlannedStack(TerraformStack Stack, string PlanFile, PlanSummary Summary, PlanSeal Seal, string SummaryFile);

/// <summary>
/// Plan and Apply of the stage stacks: init with the stage's backend, plan to a sealed file with a summary,
/// apply exactly that file, read the outputs the deploy flow needs.
/// </summary>
public sealed class TerraformRunner(TerraformSettings settings, TerraformCli cli)
{
    public TerraformSettings Settings { get; } = settings;

    /// <summary>The runner the build uses: terraform from TERRAFORM or PATH, the commit from git.</summary>
    public static async Task<TerraformRunner> CreateAsync(
        string rootDirectory, string stateBucket, string artifactsBucket, string region, string version, CancellationToken cancellationToken = default)
    {
        var cli = new TerraformCli(TerraformExecutable.Find());
        var commit = await GitCommit.ResolveAsync(rootDirectory, cancellationToken);
        return new TerraformRunner(new TerraformSettings(rootDirectory, stateBucket, artifactsBucket, region, version, commit), cli);
    }

    public async Task<IReadOnlyList<PlannedStack>> PlanAsync(IEnumerable<TerraformStack> stacks, CancellationToken cancellationToken = default)
    {
        var planned = new List<PlannedStack>();
        foreach (var stack in stacks) planned.Add(await PlanAsync(stack, cancellationToken));
        return planned;
    }

    public async Task<PlannedStack> PlanAsync(TerraformStack stack, CancellationToken cancellationToken = default)
    {
        var directory = StackDirectory(stack);
        var planFile = Settings.PlanFile(stack);
        Directory.CreateDirectory(Path.GetDirectoryName(planFile)!);
        File.Delete(planFile);
        File.Delete(Settings.SealFile(stack));

        await cli.RunAsync(directory, TerraformArguments.Init(Settings, stack), cancellationToken: cancellationToken);
        await cli.RunAsync(directory, TerraformArguments.Plan(Settings, stack), cancellationToken: cancellationToken);
        if (!File.Exists(planFile))
            throw new TerraformException($"terraform plan for {stack} wrote no plan file at {planFile}: check the terraform output above.");

        var seal = new PlanSeal(stack.Stage, stack.Name, PlanSeal.HashFile(planFile), Settings.Commit, Settings.Version);
        seal.Write(Settings.SealFile(stack));

        var show = await cli.RunAsync(directory, TerraformArguments.Show(planFile), echoOutput: false, cancellationToken: cancellationToken);
        var summary = PlanSummary.Parse(show);
        var markdown = PlanMarkdown.Render(stack, summary, seal);
        File.WriteAllText(Settings.SummaryFile(stack), markdown);
        File.WriteAllText(Path.ChangeExtension(Settings.SummaryFile(stack), ".json"), JsonSerializer.Serialize(new
        {
            stage = stack.Stage, stack = stack.Name, has_changes = summary.HasChanges, create = summary.Create, update = summary.Update,
            replace = summary.Replace, delete = summary.Delete, drifted = summary.Drift.Count, plan_sha256 = seal.Sha256,
        }));
        GitHubActions.AppendToStepSummary(markdown);
        Log.Always($"{stack}: {summary.Create} to create, {summary.Update} to update, {summary.Replace} to replace, {summary.Delete} to delete" +
                   (summary.Drift.Count > 0 ? $", {summary.Drift.Count} drifted" : "") + $" (plan sha256 {seal.Sha256})");
        return new PlannedStack(stack, planFile, summary, seal, Settings.SummaryFile(stack));
    }

    public async Task<IReadOnlyList<StackOutputs>> ApplyAsync(IEnumerable<TerraformStack> stacks, CancellationToken cancellationToken = default)
    {
        var applied = new List<StackOutputs>();
        foreach (var stack in stacks) applied.Add(await ApplyAsync(stack, cancellationToken));
        return applied;
    }

    /// <summary>Applies the saved, sealed plan of <paramref name="stack"/> and returns its outputs.</summary>
    public async Task<StackOutputs> ApplyAsync(TerraformStack stack, CancellationToken cancellationToken = default)
    {
        var directory = StackDirectory(stack);
        var planFile = Settings.PlanFile(stack);
        PlanSeal.Read(Settings.SealFile(stack)).Verify(stack, planFile, Settings.Commit);

        await cli.RunAsync(directory, TerraformArguments.Init(Settings, stack), cancellationToken: cancellationToken);
        await cli.RunAsync(directory, TerraformArguments.Apply(Settings, planFile), cancellationToken: cancellationToken);
        return await ReadOutputsAsync(stack, directory, cancellationToken);
    }

    /// <summary>The outputs of an already applied stack, without planning (for deploy steps in a later job).</summary>
    public async Task<StackOutputs> OutputsAsync(TerraformStack stack, CancellationToken cancellationToken = default)
    {
        var directory = StackDirectory(stack);
        await cli.RunAsync(directory, TerraformArguments.Init(Settings, stack), cancellationToken: cancellationToken);
        return await ReadOutputsAsync(stack, directory, cancellationToken);
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

    private string StackDirectory(TerraformStack stack)
    {
        var directory = stack.Directory(Settings.RootDirectory);
        return Directory.Exists(directory)
            ? directory
            : throw new TerraformException($"{directory} does not exist: the stacks live in tf/<dev|prod>/<api|www|app>.");
    }
}
