namespace Depoxy.Packaging.Zip;

/// <summary>One file to put in a zip: its entry name ('/' separated, relative), where to read it, its Unix mode.</summary>
public sealed record ZipInput(string EntryName, string SourcePath, UnixFileMode Mode);
