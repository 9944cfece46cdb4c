using System.Linq.Expressions;
using System.Reflection;

namespace Depoxy.Build.Engine;

/// <summary>Turns the build's <see cref="Target"/> properties into a graph and an ordered plan, with NUKE's semantics.</summary>
public static class Planner
{
    public static IReadOnlyList<ExecutableTarget> Discover(NukeBuild build)
    {
        var properties = build.GetType()
            .GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(p => p.PropertyType == typeof(Target))
            .OrderBy(p => p.MetadataToken)
            .ToList();
        var targets = properties.Select((p, i) =>
        {
            var factory = (Target)p.GetValue(build)!;
            var definition = new TargetDefinition();
            factory(definition);
            return new ExecutableTarget(p.Name, i, factory, definition);
        }).ToList();

        ExecutableTarget Resolve(Target reference, ExecutableTarget from) =>
            targets.FirstOrDefault(t => t.Factory.Equals(reference))
            ?? throw new BuildException($"Target '{from.Name}' refers to a target that is not a property of the build.");

        foreach (var target in targets)
        {
            var d = target.Definition;
            target.DependsOn.AddRange(d.DependsOnTargets.Select(r => Resolve(r, target)));
            target.After.AddRange(d.AfterTargets.Select(r => Resolve(r, target)));
            target.Triggers.AddRange(d.TriggersTargets.Select(r => Resolve(r, target)));
        }
        foreach (var target in targets)
        {
            var d = target.Definition;
            foreach (var dependent in d.DependentForTargets.Select(r => Resolve(r, target))) dependent.DependsOn.Add(target);
            foreach (var later in d.BeforeTargets.Select(r => Resolve(r, target))) later.After.Add(target);
            foreach (var trigger in d.TriggeredByTargets.Select(r => Resolve(r, target))) trigger.Triggers.Add(target);
        }
        ThrowOnCycle(targets);
        return targets;
    }

    /// <summary>Every target that runs, ordered, each with why it is in the plan.</summary>
    public static IReadOnlyList<ExecutableTarget> Plan(IReadOnlyList<ExecutableTarget> all, IReadOnlyList<ExecutableTarget> invoked)
    {
        var scheduled = new List<ExecutableTarget>();
        var queue = new Queue<(ExecutableTarget Target, string Reason)>(invoked.Select(t => (t, "invoked")));
        while (queue.Count > 0)
        {
            var (target, reason) = queue.Dequeue();
            if (scheduled.Contains(target)) continue;
            target.PlanReason = reason;
            scheduled.Add(target);
            foreach (var dependency in target.DependsOn) queue.Enqueue((dependency, $"dependency of {target.Name}"));
            foreach (var triggered in target.Triggers) queue.Enqueue((triggered, $"triggered by {target.Name}"));
        }

        IEnumerable<ExecutableTarget> Predecessors(ExecutableTarget t) =>
            t.DependsOn.Concat(t.After).Concat(scheduled.Where(s => s.Triggers.Contains(t))).Where(scheduled.Contains).Distinct();

        var ordered = new List<ExecutableTarget>();
        var remaining = scheduled.OrderBy(t => t.DeclarationIndex).ToList();
        while (remaining.Count > 0)
        {
            var next = remaining.First(t => Predecessors(t).All(ordered.Contains));
            ordered.Add(next);
            remaining.Remove(next);
        }
        return ordered;
    }

    private static void ThrowOnCycle(IReadOnlyList<ExecutableTarget> targets)
    {
        IEnumerable<ExecutableTarget> Edges(ExecutableTarget t) =>
            t.DependsOn.Concat(t.After).Concat(targets.Where(s => s.Triggers.Contains(t)));

        var state = new Dictionary<ExecutableTarget, int>();
        var path = new Stack<ExecutableTarget>();

        List<ExecutableTarget>? Visit(ExecutableTarget t)
        {
            state[t] = 1;
            path.Push(t);
            foreach (var next in Edges(t))
            {
                if (state.GetValueOrDefault(next) == 1)
                {
                    var cycle = path.Reverse().SkipWhile(x => x != next).ToList();
                    cycle.Add(next);
                    return cycle;
                }
                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } found) return found;
            }
            path.Pop();
            state[t] = 2;
            return null;
        }

        foreach (var target in targets)
            if (state.GetValueOrDefault(target) == 0 && Visit(target) is { } cycle)
                throw new BuildException("Circular dependencies between targets: " + string.Join(" -> ", cycle.Select(c => c.Name)));
    }

    /// <summary>One line per unmet requirement, naming every scheduled target that has it.</summary>
    internal static IReadOnlyList<string> UnmetRequirements(IEnumerable<ExecutableTarget> targets, IReadOnlyList<BuildParameter> parameters) =>
        targets.SelectMany(t => UnmetRequirements(t, parameters).Select(requirement => (Target: t.Name, Requirement: requirement)))
            .GroupBy(x => x.Requirement)
            .Select(g => g.Count() == 1
                ? $"Target '{g.First().Target}' requires {g.Key}."
                : $"Targets {string.Join(", ", g.Select(x => $"'{x.Target}'"))} require {g.Key}.")
            .ToList();

    private static IEnumerable<string> UnmetRequirements(ExecutableTarget target, IReadOnlyList<BuildParameter> parameters)
    {
        foreach (var requirement in target.Definition.ParameterRequirements)
        {
            var value = requirement.Compile()();
            var missing = value is null || value is string { Length: 0 } || value is Array { Length: 0 };
            if (!missing) continue;
            var member = MemberName(requirement.Body);
            var parameter = parameters.FirstOrDefault(p => p.Member.Name == member);
            yield return parameter is null ? $"'{member}'" : $"--{parameter.Option} (or {ParameterResolver.EnvironmentName(parameter)})";
        }
        foreach (var condition in target.Definition.ConditionRequirements)
            if (!condition.Compile()())
                yield return condition.Body.ToString();
    }

    private static string MemberName(Expression body) => body switch
    {
        UnaryExpression u => MemberName(u.Operand),
        MemberExpression m => m.Member.Name,
        _ => body.ToString(),
    };
}
