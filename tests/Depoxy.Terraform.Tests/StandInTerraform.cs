using System.Diagnostics;

namespace Depoxy.Terraform.Tests;

/// <summary>
/// A stand-in for the terraform binary (no real terraform runs in CI): a bash script in a temp folder that records
/// each call's argv, working directory and TF_* environment, writes a fake plan file for -out=, and replays the
/// stdout/stderr/exit code the test set for each subcommand.
/// </summary>
public sealed class StandInTerraform : IDisposable
{
    private const string Script = """
        #!/usr/bin/env bash
        # STAND-IN for terraform, written by Depoxy.Terraform.Tests. It is not Terraform: it records how it was
        # called and replays canned output from replay/<subcommand>.{stdout,stderr,exit}.
        set -u
        here="$(cd "$(dirname "$0")" && pwd)"
        n=$(( $(cat "$here/count" 2>/dev/null || echo 0) + 1 ))
        echo "$n" > "$here/count"
        {
          echo "cwd=$PWD"
          echo "env:TF_IN_AUTOMATION=${TF_IN_AUTOMATION-<unset>}"
          echo "env:TF_INPUT=${TF_INPUT-<unset>}"
          for a in "$@"; do echo "arg=$a"; done
        } > "$here/call-$n.txt"
        sub="${1:-}"
        for a in "$@"; do
          case "$a" in -out=*) printf 'stand-in plan %s %s\n' "$n" "$PWD" > "${a#-out=}" ;; esac
        done
        [ -f "$here/replay/$sub.stdout" ] && cat "$here/replay/$sub.stdout"
        [ -f "$here/replay/$sub.stderr" ] && cat "$here/replay/$sub.stderr" >&2
        exit "$(cat "$here/replay/$sub.exit" 2>/dev/null || echo 0)"
        """;

    public StandInTerraform()
    {
        Folder = Directory.CreateTempSubdirectory("depoxy-tf-standin-").FullName;
        Directory.CreateDirectory(Path.Combine(Folder, "replay"));
        Executable = Path.Combine(Folder, "terraform");
        File.WriteAllText(Executable, Script.Replace("\r\n", "\n") + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(Executable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Replay("version", """{"terraform_version":"1.11.4","platform":"linux_amd64","provider_selections":{},"terraform_outdated":false}""");
    }

    public string Folder { get; }
    public string Executable { get; }

    public void Replay(string subcommand, string? stdout = null, string? stderr = null, int exitCode = 0)
    {
        var replay = Path.Combine(Folder, "replay", subcommand);
        if (stdout is not null) File.WriteAllText(replay + ".stdout", stdout);
        if (stderr is not null) File.WriteAllText(replay + ".stderr", stderr);
        File.WriteAllText(replay + ".exit", exitCode.ToString());
    }

    public sealed record Call(string Cwd, IReadOnlyList<string> Args, IReadOnlyDictionary<string, string> Environment);

    public IReadOnlyList<Call> Calls()
    {
        var count = File.Exists(Path.Combine(Folder, "count")) ? int.Parse(File.ReadAllText(Path.Combine(Folder, "count")).Trim()) : 0;
        return [.. Enumerable.Range(1, count).Select(i => Parse(File.ReadAllLines(Path.Combine(Folder, $"call-{i}.txt"))))];
    }

    private static Call Parse(string[] lines)
    {
        var cwd = lines.Single(l => l.StartsWith("cwd=", StringComparison.Ordinal))[4..];
        var args = lines.Where(l => l.StartsWith("arg=", StringComparison.Ordinal)).Select(l => l[4..]).ToList();
        var env = lines.Where(l => l.StartsWith("env:", StringComparison.Ordinal))
            .Select(l => l[4..].Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);
        return new Call(cwd, args, env);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException e)
        {
            Debug.WriteLine($"stand-in folder {Folder} left behind: {e.Message}");
        }
    }
}
