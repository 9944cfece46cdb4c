using System.Text.Json;

namespace Depoxy.Aws.Recording;

/// <summary>Appends each call to a file as one JSON object per line, so several runs of a flow can share one log.</summary>
public sealed class AwsCallLog(string path, string accountId) : IAwsCallRecorder
{
    private readonly Lock _gate = new();

    public string AccountId { get; } = accountId;

    public void Record(AwsCall call)
    {
        var line = JsonSerializer.Serialize(call) + "\n";
        lock (_gate) File.AppendAllText(path, line);
    }

    public static IReadOnlyList<AwsCall> Read(string path) =>
        File.ReadLines(path).Where(line => line.Length > 0)
            .Select(line => JsonSerializer.Deserialize<AwsCall>(line) ?? throw new InvalidDataException($"{path}: a line that is not a call: {line}"))
            .ToList();
}
