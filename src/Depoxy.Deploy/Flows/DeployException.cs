namespace Depoxy.Deploy.Flows;

/// <summary>A refusal or failure of a deploy flow whose message says what to do.</summary>
public sealed class DeployException(string message) : Exception(message);
