namespace Depoxy.Build.Engine;

/// <summary>A failure whose message alone tells the user what to fix; printed as one line, no stack trace.</summary>
public class BuildException(string message) : Exception(message);

/// <summary>Bad input on the command line, environment or parameter files: exit code 2.</summary>
public sealed class UsageException(string message) : BuildException(message);
