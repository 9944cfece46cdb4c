using System.Linq.Expressions;

namespace Depoxy.Build.Engine;

/// <summary>A target, declared as NUKE declares it: <c>Target Compile =&gt; _ =&gt; _.DependsOn(Restore).Executes(...)</c>.</summary>
public delegate ITargetDefinition Target(ITargetDefinition definition);

public interface ITargetDefinition
{
    ITargetDefinition Description(string description);
    ITargetDefinition Unlisted();

    /// <summary>
    /// A safety target (account guard, stage lock) that <c>--skip</c> never skips: a bare <c>--skip</c> leaves it in
    /// the plan, and naming it in <c>--skip</c> is refused. Named like NUKE's <c>Unlisted()</c>, a property of the
    /// target; NUKE has no such switch because its builds guard no account.
    /// </summary>
    ITargetDefinition Unskippable();
    ITargetDefinition DependsOn(params Target[] targets);
    ITargetDefinition DependentFor(params Target[] targets);
    ITargetDefinition After(params Target[] targets);
    ITargetDefinition Before(params Target[] targets);
    ITargetDefinition Triggers(params Target[] targets);
    ITargetDefinition TriggeredBy(params Target[] targets);
    ITargetDefinition OnlyWhenStatic(params Func<bool>[] conditions);

    /// <summary>As NUKE's, with the reason the summary shows when the condition is false.</summary>
    ITargetDefinition OnlyWhenStatic(Func<bool> condition, string reason);
    ITargetDefinition OnlyWhenDynamic(params Func<bool>[] conditions);

    /// <summary>As NUKE's, with the reason the summary shows when the condition is false.</summary>
    ITargetDefinition OnlyWhenDynamic(Func<bool> condition, string reason);
    ITargetDefinition Requires(params Expression<Func<bool>>[] conditions);
    ITargetDefinition Requires(params Expression<Func<object?>>[] parameters);
    ITargetDefinition ProceedAfterFailure();
    ITargetDefinition AssuredAfterFailure();
    ITargetDefinition Executes(Action action);
    ITargetDefinition Executes(Func<Task> action);

    /// <summary>
    /// With the running target's token: cancelled by SIGINT/SIGTERM; an assured target that runs after an interrupt
    /// gets a fresh one. The same token is <see cref="NukeBuild.CancellationToken"/>.
    /// </summary>
    ITargetDefinition Executes(Func<CancellationToken, Task> action);
}

internal sealed class TargetDefinition : ITargetDefinition
{
    public string? DescriptionText { get; private set; }
    public bool IsUnlisted { get; private set; }
    public bool IsUnskippable { get; private set; }
    public List<Target> DependsOnTargets { get; } = [];
    public List<Target> DependentForTargets { get; } = [];
    public List<Target> AfterTargets { get; } = [];
    public List<Target> BeforeTargets { get; } = [];
    public List<Target> TriggersTargets { get; } = [];
    public List<Target> TriggeredByTargets { get; } = [];
    public List<(Func<bool> Condition, string Reason)> StaticConditions { get; } = [];
    public List<(Func<bool> Condition, string Reason)> DynamicConditions { get; } = [];
    public List<Expression<Func<bool>>> ConditionRequirements { get; } = [];
    public List<Expression<Func<object?>>> ParameterRequirements { get; } = [];
    public bool Proceeds { get; private set; }
    public bool Assured { get; private set; }
    public List<Func<CancellationToken, Task>> Actions { get; } = [];

    public ITargetDefinition Description(string description) { DescriptionText = description; return this; }
    public ITargetDefinition Unlisted() { IsUnlisted = true; return this; }
    public ITargetDefinition Unskippable() { IsUnskippable = true; return this; }
    public ITargetDefinition DependsOn(params Target[] targets) { DependsOnTargets.AddRange(targets); return this; }
    public ITargetDefinition DependentFor(params Target[] targets) { DependentForTargets.AddRange(targets); return this; }
    public ITargetDefinition After(params Target[] targets) { AfterTargets.AddRange(targets); return this; }
    public ITargetDefinition Before(params Target[] targets) { BeforeTargets.AddRange(targets); return this; }
    public ITargetDefinition Triggers(params Target[] targets) { TriggersTargets.AddRange(targets); return this; }
    public ITargetDefinition TriggeredBy(params Target[] targets) { TriggeredByTargets.AddRange(targets); return this; }
    public ITargetDefinition OnlyWhenStatic(params Func<bool>[] conditions) { StaticConditions.AddRange(conditions.Select(c => (c, "condition false"))); return this; }
    public ITargetDefinition OnlyWhenStatic(Func<bool> condition, string reason) { StaticConditions.Add((condition, reason)); return this; }
    public ITargetDefinition OnlyWhenDynamic(params Func<bool>[] conditions) { DynamicConditions.AddRange(conditions.Select(c => (c, "condition false"))); return this; }
    public ITargetDefinition OnlyWhenDynamic(Func<bool> condition, string reason) { DynamicConditions.Add((condition, reason)); return this; }
    public ITargetDefinition Requires(params Expression<Func<bool>>[] conditions) { ConditionRequirements.AddRange(conditions); return this; }
    public ITargetDefinition Requires(params Expression<Func<object?>>[] parameters) { ParameterRequirements.AddRange(parameters); return this; }
    public ITargetDefinition ProceedAfterFailure() { Proceeds = true; return this; }
    public ITargetDefinition AssuredAfterFailure() { Assured = true; return this; }
    public ITargetDefinition Executes(Action action) { Actions.Add(_ => { action(); return Task.CompletedTask; }); return this; }
    public ITargetDefinition Executes(Func<Task> action) { Actions.Add(_ => action()); return this; }
    public ITargetDefinition Executes(Func<CancellationToken, Task> action) { Actions.Add(action); return this; }
}

/// <summary>As NUKE's: <see cref="Aborted"/> is the target an interrupt (SIGINT, SIGTERM) stopped.</summary>
public enum TargetStatus { NotRun, Skipped, Succeeded, Failed, Aborted }

/// <summary>A target with its definition resolved to other targets; what the planner and executor work on.</summary>
public sealed class ExecutableTarget
{
    internal ExecutableTarget(string name, int index, Target factory, TargetDefinition definition)
    {
        Name = name;
        DeclarationIndex = index;
        Factory = factory;
        Definition = definition;
    }

    public string Name { get; }
    public int DeclarationIndex { get; }
    internal Target Factory { get; }
    internal TargetDefinition Definition { get; }
    public string? Description => Definition.DescriptionText;
    public bool Listed => !Definition.IsUnlisted;
    public bool Skippable => !Definition.IsUnskippable;
    public bool IsDefault { get; internal set; }

    public List<ExecutableTarget> DependsOn { get; } = [];
    public List<ExecutableTarget> After { get; } = [];
    public List<ExecutableTarget> Triggers { get; } = [];

    public TargetStatus Status { get; internal set; } = TargetStatus.NotRun;
    public string? SkipReason { get; internal set; }
    public string? Note { get; internal set; }
    public TimeSpan Duration { get; internal set; }
    public string? PlanReason { get; internal set; }

    public override string ToString() => Name;
}
