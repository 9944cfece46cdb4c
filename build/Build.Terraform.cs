using Depoxy.Build.Engine;
using Depoxy.GitHub;
using Depoxy.Terraform;

partial class Build
{
    [Parameter("Terraform stack to plan or apply: api, www or app (default: all three)")]
    readonly string? Stack;

    [Parameter("GitHub token for the pull request's plan comments (GITHUB_TOKEN on Actions)"), Secret]
    readonly string? GitHubToken;

    /// <summary>Outputs of the stacks the Apply target applied in this run (also saved to artifacts/terraform/outputs-*.json).</summary>
    IReadOnlyList<StackOutputs> AppliedStacks = [];

    IReadOnlyList<TerraformStack> TerraformStacks => TerraformStack.Select(Stage!.Value.ToString(), Stack);

    Task<TerraformRunner> TerraformRunner() => Pipeline.TerraformAsync(StateBucket!, ArtifactsBucket!, AwsRegion!, ShippedVersion);

    Target Plan => _ => _
        .Description("terraform plan of the stage's stacks into sealed plan files, summary in artifacts/plan-<stage>-<stack>.md")
        .Requires(() => Stage, () => StateBucket, () => ArtifactsBucket, () => AwsRegion)
        .After(Publish, PublishModules)
        .Executes(async () =>
        {
            var planned = await (await TerraformRunner()).PlanAsync(TerraformStacks);
            var comments = PlanCommentPublisher.FromEnvironment(GitHubToken);
            foreach (var plan in planned)
                await comments.PublishAsync(plan.Stack.Stage, plan.Stack.Name, await File.ReadAllTextAsync(plan.SummaryFile), writeStepSummary: false);
        });

    Target Apply => _ => _
        .Description("Applies exactly the saved plans of the stage's stacks (refusing stale or foreign ones), reads their outputs")
        .After(Plan)
        .Requires(() => Stage, () => StateBucket, () => ArtifactsBucket, () => AwsRegion)
        .Executes(async () => AppliedStacks = await (await TerraformRunner()).ApplyAsync(TerraformStacks));
}
