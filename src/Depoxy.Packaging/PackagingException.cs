using Depoxy.Build.Engine;

namespace Depoxy.Packaging;

/// <summary>A packaging or publishing failure whose message names the fix; the build prints it as one line.</summary>
public class PackagingException(string message) : BuildException(message);

/// <summary>The key already holds different bytes: immutable artifacts are never overwritten.</summary>
public sealed class ArtifactConflictException(string message, string bucket, string key) : PackagingException(message)
{
    public string Bucket { get; } = bucket;
    public string Key { get; } = key;
}

/// <summary>Stored bytes do not match the manifest (or the upload could not be read back as sent).</summary>
public sealed class ArtifactIntegrityException(string message) : PackagingException(message);
