using System.Linq.Expressions;

namespace Depoxy.Build.Engine;

/// <summary>The base of a build, as in NUKE: targets are <see cref="Target"/> properties, parameters are <c>[Parameter]</c> members.</summary>
public abstract class NukeBuild
{
    public string RootDirectory { get; internal set; } = "";

    public string TemporaryDirectory => Path.Combine(RootDirectory, ".nuke", "temp");

    public static bool IsServerBuild =>
        GitHubActions.IsRunning || string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static bool IsLocalBuild => !IsServerBuild;

    public IReadOnlyList<ExecutableTarget> InvokedTargets { get; internal set; } = [];

    public IReadOnlyList<ExecutableTarget> ExecutionPlan { get; internal set; } = [];

    public IReadOnlyList<string> Profiles { get; internal set; } = [];

    /// <summary>Where each parameter that has a value came from, by parameter name: "--stage", "environment variable STAGE", ".nuke/parameters.json".</summary>
    public IReadOnlyDictionary<string, string> ParameterSources { get; internal set; } = new Dictionary<string, string>();

    /// <summary>True when the run's environment says CI runs it (CI=true or GITHUB_ACTIONS=true).</summary>
    public bool RunsOnCi { get; internal set; }

    /// <summary>
    /// The running target's token, for components that take one: cancelled when SIGINT or SIGTERM interrupts the
    /// target; an assured target (Unlock) running after the interrupt gets a fresh, uncancelled one.
    /// </summary>
    public CancellationToken CancellationToken => TargetContext.CancellationToken;

    /// <summary>Profiles loaded without <c>--profile</c>, decided from parameters already resolved (e.g. the stage).</summary>
    protected internal virtual IEnumerable<string> ImplicitProfiles => [];

    /// <summary>Called after parameters are resolved and before the plan runs.</summary>
    protected internal virtual void OnBuildInitialized()
    {
    }

    /// <summary>Runs the build; SIGINT and SIGTERM interrupt it (exit code 130 or 143) after its assured targets ran.</summary>
    protected static int Execute<T>(params Expression<Func<T, Target>>[] defaultTargets) where T : NukeBuild, new()
    {
        using var interruption = Interruption.FromPosixSignals();
        return new BuildRunner(Environment.CurrentDirectory, EnvironmentVariables(), interruption).Run(new T(),
            Environment.GetCommandLineArgs().Skip(1).ToArray(), defaultTargets.Select(DefaultName).ToArray());
    }

    internal static string DefaultName<T>(Expression<Func<T, Target>> expression) =>
        expression.Body is MemberExpression member ? member.Member.Name : throw new ArgumentException("Default target must be a property access: x => x.Compile");

    internal static IReadOnlyDictionary<string, string> EnvironmentVariables() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
}
