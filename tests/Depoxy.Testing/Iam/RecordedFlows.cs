using Depoxy.Aws.Recording;

namespace Depoxy.Testing.Iam;

/// <summary>
/// The call logs of real build runs (--record-aws-calls), one per run, each with the flow it ran and the CI role the
/// workflows run that step as.
/// </summary>
public sealed class RecordedFlows(string directory)
{
    private readonly List<(string Log, string Flow, string Role)> _runs = [];

    /// <summary>The arguments that make one run record its calls, as <paramref name="flow"/> under <paramref name="role"/>.</summary>
    public string[] Record(string flow, string role)
    {
        var log = Path.Combine(directory, $"{_runs.Count:00}-{string.Concat(flow.Where(char.IsLetterOrDigit))}.jsonl");
        _runs.Add((log, flow, role));
        return ["--record-aws-calls", log];
    }

    public IReadOnlyList<string> Flows => _runs.Select(r => r.Flow).Distinct().ToList();

    /// <summary>What terraform asked of AWS in each run that ran it, by the run's role: (role, IAM prefix, operation).</summary>
    public IReadOnlySet<(string Role, string Service, string Operation)> TerraformOperations() =>
        _runs.Where(run => Directory.Exists(run.Log + ".terraform"))
            .SelectMany(run => TerraformRequestLog.Operations(run.Log + ".terraform").Select(o => (run.Role, o.Service, o.Operation)))
            .ToHashSet();

    /// <summary>Every recorded call in order; a run that recorded nothing fails, since every flow at least checks the account.</summary>
    public IReadOnlyList<PipelineCall> Calls() =>
        _runs.SelectMany(run => File.Exists(run.Log)
                ? AwsCallLog.Read(run.Log).Select(call => PipelineCall.Recorded(run.Flow, run.Role, call))
                : throw new InvalidOperationException($"the run of {run.Flow} recorded no call in {run.Log}"))
            .ToList();
}
