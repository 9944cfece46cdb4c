using System.Diagnostics;

namespace Depoxy.Build.Engine;

/// <summary>
/// Runs a build from its command line: parse, resolve parameters, plan, check requirements, execute, summarize.
/// Without an <paramref name="interruption"/> nothing can interrupt the run (tests); <see cref="NukeBuild"/> passes
/// one listening to SIGINT and SIGTERM.
/// </summary>
public sealed class BuildRunner(string workingDirectory, IReadOnlyDictionary<string, string> environment, Interruption? interruption = null)
{
    public const int UsageExitCode = 2;

    public int Run(NukeBuild build, string[] args, params string[] defaultTargets) =>
        RunAsync(build, args, defaultTargets).GetAwaiter().GetResult();

    public async Task<int> RunAsync(NukeBuild build, string[] args, params string[] defaultTargets)
    {
        try
        {
            return await RunUnguardedAsync(build, args, defaultTargets);
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

    private async Task<int> RunUnguardedAsync(NukeBuild build, string[] args, string[] defaultTargets)
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
        var resolver = new ParameterResolver(build.RootDirectory, environment);
        resolver.RegisterSecrets(parameters, commandLine);
        foreach (var target in targets) target.IsDefault = defaultTargets.Contains(target.Name);

        if (commandLine.Has("help"))
        {
            Log.Always(HelpText.Render(targets, parameters));
            return 0;
        }

        var invoked = Invoked(commandLine, targets, defaultTargets);
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
        build.ParameterSources = new Dictionary<string, string>(resolver.Sources, StringComparer.Ordinal);
        build.RunsOnCi = new[] { "CI", "GITHUB_ACTIONS" }.Any(name => environment.TryGetValue(name, out var value) && value.Equals("true", StringComparison.OrdinalIgnoreCase));

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
        return await new Executor(interruption).ExecuteAsync(plan, invoked, parameters);
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
        var named = skip.Select(name => Find(name, targets, "target in --skip")).ToList();
        if (named.FirstOrDefault(t => !t.Skippable) is { } safety)
            throw new UsageException($"--skip {safety.Name}: {safety.Name} is a safety target and is never skipped; drop it from --skip.");
        var skipped = skip.Count == 0
            ? plan.Where(t => !invoked.Contains(t) && t.Skippable).ToList()
            : named;
        foreach (var target in plan.Where(skipped.Contains))
        {
            target.Status = TargetStatus.Skipped;
            target.SkipReason = "--skip";
        }
    }

    /// <summary>Executes an ordered plan; kept apart so tests can drive it without a command line.</summary>
    public sealed class Executor(Interruption? interruption = null)
    {
        /// <summary>How long an interrupted target may take to notice its cancelled token before it is abandoned.</summary>
        public static readonly TimeSpan AbandonAfter = TimeSpan.FromMinutes(1);

        public async Task<int> ExecuteAsync(IReadOnlyList<ExecutableTarget> plan, IReadOnlyList<ExecutableTarget> invoked, IReadOnlyList<BuildParameter> parameters)
        {
            EvaluateStaticConditions(plan, invoked);
            var unmet = Planner.UnmetRequirements(plan.Where(t => t.Status != TargetStatus.Skipped), parameters);
            if (unmet.Count > 0)
                throw new UsageException(string.Join(Environment.NewLine, unmet));

            var interrupt = interruption?.Token ?? CancellationToken.None;
            ExecutableTarget? running = null;
            using var announcement = interrupt.Register(() => Log.Warn(
                $"{interruption!.SignalName}: stopping {running?.Name ?? "the build"} and the tools it started, then running the targets that always run " +
                $"({string.Join(", ", plan.Where(t => t.Definition.Assured && t.Status != TargetStatus.Skipped).Select(t => t.Name).DefaultIfEmpty("none"))}); " +
                "send it again to end at once."));

            var total = Stopwatch.StartNew();
            var failed = false;
            foreach (var target in plan)
            {
                if (target.Status == TargetStatus.Skipped) continue;
                var interrupted = interrupt.IsCancellationRequested;
                if (interrupted && !target.Definition.Assured) continue;
                var blocked = target.DependsOn.Any(d => plan.Contains(d) && d.Status is TargetStatus.Failed or TargetStatus.NotRun or TargetStatus.Aborted);
                if ((failed && !target.Definition.Assured) || (blocked && !target.Definition.Assured)) continue;
                running = target;
                // After an interrupt, the assured targets get a fresh token: they exist to put things back.
                if (!await RunAsync(target, interrupted ? CancellationToken.None : interrupt) && target.Status == TargetStatus.Failed && !target.Definition.Proceeds)
                    failed = true;
                if (target.Status == TargetStatus.Aborted) await StopLeftoversAsync(target);
            }
            total.Stop();
            Summary.Write(plan, total.Elapsed, interruption is { IsRequested: true } ? interruption.SignalName : null);
            if (interruption is { IsRequested: true }) return interruption.ExitCode;
            return plan.Any(t => t.Status == TargetStatus.Failed) ? 1 : 0;
        }

        /// <summary>
        /// Before the assured targets release anything (the stage lock), whatever the interrupted target started
        /// outside <see cref="Tool"/> is stopped too.
        /// </summary>
        private async Task StopLeftoversAsync(ExecutableTarget target)
        {
            if (interruption is not { OwnsProcess: true }) return;
            var stopped = await ProcessTree.StopDescendantsAsync(Environment.ProcessId, ProcessTree.DefaultGracePeriod);
            if (stopped > 0) Log.Warn($"{target.Name}: stopped {stopped} process(es) it left running");
        }

        /// <summary>Runs one target, its dynamic conditions included: a condition that throws fails the target, not the build.</summary>
        private async Task<bool> RunAsync(ExecutableTarget target, CancellationToken token)
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
                TargetContext.Enter(token);
                var actions = RunActionsAsync(target, token);
                if (token.CanBeCanceled && await Task.WhenAny(actions, Task.Delay(Timeout.Infinite, token).ContinueWith(_ => { }, TaskScheduler.Default)) != actions)
                {
                    // The target's tools are being stopped; a target that ignores its token is abandoned, so the
                    // assured targets still run and the process still ends.
                    if (await Task.WhenAny(actions, Task.Delay(AbandonAfter, CancellationToken.None)) != actions)
                        throw new OperationCanceledException($"{target.Name} did not stop within {AbandonAfter.TotalSeconds:0} s of the interrupt and was abandoned", token);
                }
                await actions;
                target.Status = TargetStatus.Succeeded;
            }
            catch (Exception e) when (token.IsCancellationRequested)
            {
                target.Status = TargetStatus.Aborted;
                target.Note = $"interrupted by {interruption?.SignalName ?? "cancellation"}";
                Log.Error($"{target.Name}: {target.Note}" + (e is OperationCanceledException ? "" : $" ({e.Message.Split('\n')[0].Trim()})"));
                Log.Debug(e.ToString());
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
            finally
            {
                TargetContext.Enter(CancellationToken.None);
            }
            watch.Stop();
            target.Duration = watch.Elapsed;
            if (started) Summary.Footer(target.Name);
            return target.Status == TargetStatus.Succeeded;
        }

        private static async Task RunActionsAsync(ExecutableTarget target, CancellationToken token)
        {
            // Yield first, so a target that blocks synchronously still lets the executor watch for the interrupt.
            await Task.Yield();
            foreach (var action in target.Definition.Actions) await action(token);
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
