namespace Depoxy.Sites;

/// <summary>A sync that cannot or must not go ahead; the message names the fix.</summary>
public sealed class SiteSyncException(string message) : Exception(message);
