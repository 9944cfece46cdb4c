#!/usr/bin/env bash
# Bootstraps the C# build in build/: checks the SDK pinned by global.json, rebuilds the build project only when
# its sources changed, then runs it with every argument passed through. The exit code is the build's.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TEMP="$ROOT/.nuke/temp"
BIN="$TEMP/bin"
STAMP="$TEMP/build.stamp"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

required_sdk() { sed -n 's/.*"version"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$ROOT/global.json" | head -n 1; }

# The build's sources, one relative path a line, sorted: the stamp holds this list, so an added, deleted or renamed
# file counts as a change even though it leaves no newer file behind. Only files are listed: a folder's time changes
# when the first compile creates obj/ and bin/ in it, which is no change of the sources.
sources() {
  (cd "$ROOT" && find build src \( -name bin -o -name obj \) -prune -o -type f -print && printf '%s\n' Directory.Build.props Directory.Packages.props global.json) | LC_ALL=C sort
}

# Prints why the build project must be compiled, nothing when the last compile is current.
stale() {
  if [[ ! -f "$STAMP" || ! -f "$BIN/_build.dll" ]]; then echo "first run, 30 s–2 min"; return; fi
  local changed
  changed=$(cd "$ROOT" && find build src \( -name bin -o -name obj \) -prune -o -type f -newer "$STAMP" -print -quit)
  [[ -z "$changed" ]] && changed=$(cd "$ROOT" && find Directory.Build.props Directory.Packages.props global.json -newer "$STAMP" -print -quit)
  if [[ -n "$changed" ]]; then echo "$changed changed"; return; fi
  if [[ "$(sources)" != "$(cat "$STAMP")" ]]; then echo "files added or removed"; fi
}

reason=$(stale)
if [[ -n "$reason" ]]; then
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "build.sh: dotnet not found on PATH: install the .NET SDK $(required_sdk) (see global.json), e.g. apt-get install dotnet-sdk-10.0" >&2
    exit 1
  fi
  if ! (cd "$ROOT" && dotnet --version >/dev/null 2>&1); then
    echo "build.sh: the .NET SDK $(required_sdk) or a later feature band of it (global.json) is not installed: dotnet --list-sdks shows $(dotnet --list-sdks | cut -d' ' -f1 | paste -sd' ')" >&2
    exit 1
  fi
  mkdir -p "$TEMP"
  # The stamp's time is taken before the compile, so a source saved during it still counts as newer next time.
  next="$STAMP.$$"
  sources > "$next"
  echo "build.sh: Compiling the build project ($reason)…" >&2
  # The compile prints nothing until it ends, which can take minutes: a ticker says every BUILD_SH_PROGRESS_SECONDS
  # that it still runs. It is stopped when the compile ends, and stops itself once build.sh is gone (killed by a
  # signal, which runs no trap); its sleep writes nowhere, so a stopped ticker holds no caller's pipe open.
  (while sleep "${BUILD_SH_PROGRESS_SECONDS:-10}" </dev/null >/dev/null 2>&1 && kill -0 $$ 2>/dev/null; do
    echo "build.sh: still compiling the build project ($SECONDS s)…" >&2
  done) &
  ticker=$!
  stop_ticker() { kill "$ticker" 2>/dev/null || true; wait "$ticker" 2>/dev/null || true; }
  trap stop_ticker EXIT
  if ! dotnet build "$ROOT/build/_build.csproj" -c Release -o "$BIN" --nologo -v quiet -tl:off > "$TEMP/build.log" 2>&1; then
    stop_ticker
    rm -f "$next"
    grep -E ': (error|warning) ' "$TEMP/build.log" | sort -u >&2 || cat "$TEMP/build.log" >&2
    echo "build.sh: the build project does not compile (errors above, full log in .nuke/temp/build.log)" >&2
    exit 1
  fi
  stop_ticker
  trap - EXIT
  echo "build.sh: Compiled the build project in $SECONDS s" >&2
  mv -f "$next" "$STAMP"
fi

exec dotnet "$BIN/_build.dll" "$@"
