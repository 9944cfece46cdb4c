using System.Diagnostics;

namespace Depoxy.Build.Engine;

/// <summary>Runs a build from its command line: parse, resolve parameters, plan, check requirements, execute, summarize.</summary>
public sealed class BuildRunner(string workingDirectory, IReadOnlyDictionary<string, string> environment)
{
    public const int UsageExitCode = 2;

    public int Run(NukeBuild build, string[] args, params string[] defaultTargets)
    {
        try
        {
            return RunUnguarded(build, args, defaultTargets);
        }
        catch (UsageException e)
        {
            Log.Error(e.Message);
            return UsageExitCode;
        }
        catch (Exception e)
        {
            Log.Error(e.Message);
            Log.Debug(e.ToString());
            return 1;
        }
    }

    private int RunUnguarded(NukeBuild build, string[] args, string[] defaultTargets)
    {
        var commandLine = CommandLine.Parse(args);
        if (commandLine.Values("verbosity") is { } verbosity)
            Log.Verbosity = verbosity is [var v] && Enum.TryParse<Verbosity>(v, ignoreCase: true, out var parsed)
                ? parsed
                : throw new UsageException($"Invalid value for --verbosity: expected one of {string.Join(", ", Enum.GetNames<Verbosity>())}.");

        build.RootDirectory = FindRoot(commandLine);
        var targets = Planner.Discover(build);
        var parameters = BuildParameter.Discover(build.GetType());
        commandLine.ReleaseFlagValues(parameters.Where(p => p.IsBool && !p.IsArray).Select(p => p.Option).Concat(["help", "plan", "no-logo"]));
        foreach (var target in targets) target.IsDefault = defaultTargets.Contains(target.Name);

        if (commandLine.Has("help"))
        {
            Log.Always(HelpText.Render(targets, parameters));
            return 0;
        }

        var invoked = Invoked(commandLine, targets, defaultTargets);
        var resolver = new ParameterResolver(build.RootDirectory, environment);
        var profiles = commandLine.Values("profile") ?? [];
        resolver.Apply(build, parameters, commandLine, profiles);
        var implicitProfiles = build.ImplicitProfiles
            .Where(p => !profiles.Contains(p) && File.Exists(resolver.ParameterFile(p)))
            .ToList();
        if (implicitProfiles.Count > 0)
        {
            profiles = [.. profiles, .. implicitProfiles];
            resolver.Apply(build, parameters, commandLine, profiles);
        }
        build.Profiles = profiles;

        var plan = Planner.Plan(targets, invoked);
        build.InvokedTargets = invoked;
        build.ExecutionPlan = plan;
        ApplySkips(commandLine, targets, plan, invoked);

        if (commandLine.Has("plan"))
        {
            Log.Always(HelpText.RenderPlan(plan));
            return 0;
        }

        if (!commandLine.Has("no-logo")) Log.Always(HelpText.Logo);
        build.OnBuildInitialized();
        return new Executor().Execute(plan, invoked, parameters);
    }

    private string FindRoot(CommandLine commandLine)
    {
        if (commandLine.Values("root") is { } root)
        {
            var path = root is [var single] ? Path.GetFullPath(single, workingDirectory) : throw new UsageException("--root takes one directory.");
            return Directory.Exists(path) ? path : throw new UsageException($"--root {path} does not exist.");
        }
        foreach (var start in new[] { workingDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (Directory.Exists(Path.Combine(dir.FullName, ".nuke")))
                    return dir.FullName;
        throw new UsageException($"No .nuke folder above {workingDirectory}: run from the repository or pass --root.");
    }

    private static List<ExecutableTarget> Invoked(CommandLine commandLine, IReadOnlyList<ExecutableTarget> targets, string[] defaultTargets)
    {
        var names = commandLine.Targets.Concat(commandLine.Values("target") ?? []).ToList();
        if (names.Count == 0) names = [.. defaultTargets];
        return names.Select(name => Find(name, targets, "target")).Distinct().ToList();
    }

    private static ExecutableTarget Find(string name, IReadOnlyList<ExecutableTarget> targets, string what) =>
        targets.FirstOrDefault(t => t.Name.Equals(name, StringComparison.OrdinalIgnoreCase) || CommandLine.ToKebab(t.Name) == name.ToLowerInvariant())
        ?? throw new UsageException($"Unknown {what} '{name}'.{Suggestions.Nearest(name, targets.Select(t => t.Name))} Run ./build.sh --help for the list.");

    private static void ApplySkips(CommandLine commandLine, IReadOnlyList<ExecutableTarget> targets, IReadOnlyList<ExecutableTarget> plan,
        IReadOnlyList<ExecutableTarget> invoked)
    {
        if (commandLine.Values("skip") is not { } skip) return;
        var skipped = skip.Count == 0
            ? plan.Where(t => !invoked.Contains(t)).ToList()
            : skip.Select(name => Find(name, targets, "target in --skip")).ToList();
        foreach (var target in plan.Where(skipped.Contains))
        {
            target.Status = TargetStatus.Skipped;
            target.SkipReason = "--skip";
        }
    }

    /// <summary>Executes an ordered plan; kept apart so tests can drive it without a command line.</summary>
    public sealed class Executor
    {
        public int Execute(IReadOnlyList<ExecutableTarget> plan, IReadOnlyList<ExecutableTarget> invoked, IReadOnlyList<BuildParameter> parameters)
        {
            EvaluateStaticConditions(plan, invoked);
            var unmet = Planner.UnmetRequirements(plan.Where(t => t.Status != TargetStatus.Skipped), parameters);
            if (unmet.Count > 0)
                throw new UsageException(string.Join(Environment.NewLine, unmet));

            var total = Stopwatch.StartNew();
            var failed = false;
            foreach (var target in plan)
            {
                if (target.Status == TargetStatus.Skipped) continue;
                var blocked = target.DependsOn.Any(d => plan.Contains(d) && d.Status is TargetStatus.Failed or TargetStatus.NotRun);
                if ((failed && !target.Definition.Assured) || (blocked && !target.Definition.Assured)) continue;
                if (!Run(target) && target.Status == TargetStatus.Failed && !target.Definition.Proceeds) failed = true;
            }
            total.Stop();
            Summary.Write(plan, total.Elapsed);
            return plan.Any(t => t.Status == TargetStatus.Failed) ? 1 : 0;
        }

        /// <summary>Runs one target, its dynamic conditions included: a condition that throws fails the target, not the build.</summary>
        private static bool Run(ExecutableTarget target)
        {
            var watch = Stopwatch.StartNew();
            var started = false;
            try
            {
                if (target.Definition.DynamicConditions.FirstOrDefault(c => !c.Condition()) is { Condition: not null } falseCondition)
                {
                    target.Status = TargetStatus.Skipped;
                    target.SkipReason = falseCondition.Reason;
                    return false;
                }
                Summary.Header(target.Name);
                started = true;
                foreach (var action in target.Definition.Actions) action().GetAwaiter().GetResult();
                target.Status = TargetStatus.Succeeded;
            }
            catch (Exception e)
            {
                target.Status = TargetStatus.Failed;
                var message = e is BuildException or ToolException || e.GetType().Namespace?.StartsWith("Depoxy", StringComparison.Ordinal) == true
                    ? e.Message
                    : $"{e.GetType().Name}: {e.Message}";
                target.Note = message.Split('\n')[0].Trim();
                Log.Error(message);
                Log.Debug(e.ToString());
            }
            watch.Stop();
            target.Duration = watch.Elapsed;
            if (started) Summary.Footer(target.Name);
            return target.Status == TargetStatus.Succeeded;
        }

        /// <summary>
        /// A target whose static condition is false is skipped, and so are its dependencies unless a target that
        /// still runs needs them (NUKE's default <c>DependencyBehavior.Skip</c>).
        /// </summary>
        private static void EvaluateStaticConditions(IReadOnlyList<ExecutableTarget> plan, IReadOnlyList<ExecutableTarget> invoked)
        {
            var statically = plan
                .Where(t => t.Status != TargetStatus.Skipped)
                .Select(t => (Target: t, Failed: t.Definition.StaticConditions.FirstOrDefault(c => !c.Condition())))
                .Where(x => x.Failed.Condition is not null)
                .ToList();
            if (statically.Count == 0) return;
            foreach (var (target, failed) in statically)
            {
                target.Status = TargetStatus.Skipped;
                target.SkipReason = failed.Reason;
            }
            var needed = new HashSet<ExecutableTarget>();
            var queue = new Queue<ExecutableTarget>(invoked.Where(t => t.Status != TargetStatus.Skipped));
            while (queue.Count > 0)
            {
                var target = queue.Dequeue();
                if (!needed.Add(target)) continue;
                foreach (var next in target.DependsOn.Concat(target.Triggers).Where(n => n.Status != TargetStatus.Skipped)) queue.Enqueue(next);
            }
            foreach (var target in plan.Where(t => t.Status != TargetStatus.Skipped && !needed.Contains(t)))
            {
                target.Status = TargetStatus.Skipped;
                target.SkipReason = "only needed by skipped targets";
            }
        }
    }
}
