namespace Depoxy.Packaging.Zip;

/// <summary>
/// Modes come from this policy, never from the disk, so a checkout's umask or core.fileMode cannot change the zip.
/// </summary>
public sealed class FileModes(IReadOnlySet<string> executableEntries)
{
    public const UnixFileMode Regular =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public const UnixFileMode Executable = Regular
        | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public static FileModes Default { get; } = new(new HashSet<string>(StringComparer.Ordinal));

    public static FileModes WithExecutables(params string[] entryNames) => new(new HashSet<string>(entryNames, StringComparer.Ordinal));

    /// <summary>
    /// 0755 for the named entries and for ELF programs (an apphost is named like its assembly, "Depoxy.Api", so the
    /// name alone cannot tell), 0644 for the rest, shared libraries included.
    /// </summary>
    public UnixFileMode For(string entryName, string sourcePath) =>
        executableEntries.Contains(entryName) || (!IsSharedLibrary(entryName) && IsElf(sourcePath))
            ? Executable
            : Regular;

    private static bool IsSharedLibrary(string name) => name.EndsWith(".so", StringComparison.Ordinal) || name.Contains(".so.", StringComparison.Ordinal);

    private static bool IsElf(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using var file = File.OpenRead(path);
        return file.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4
            && magic[0] == 0x7F && magic[1] == (byte)'E' && magic[2] == (byte)'L' && magic[3] == (byte)'F';
    }
}
