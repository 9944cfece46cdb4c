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

stale() {
  [[ -f "$STAMP" && -f "$BIN/_build.dll" ]] || return 0
  local changed
  changed=$(find "$ROOT/build" "$ROOT/src" "$ROOT/Directory.Build.props" "$ROOT/Directory.Packages.props" "$ROOT/global.json" \
    \( -name bin -o -name obj \) -prune -o -newer "$STAMP" -print -quit)
  [[ -n "$changed" ]]
}

if stale; then
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "build.sh: dotnet not found on PATH: install the .NET SDK $(required_sdk) (see global.json), e.g. apt-get install dotnet-sdk-10.0" >&2
    exit 1
  fi
  if ! (cd "$ROOT" && dotnet --version >/dev/null 2>&1); then
    echo "build.sh: the .NET SDK $(required_sdk) or a later feature band of it (global.json) is not installed: dotnet --list-sdks shows $(dotnet --list-sdks | cut -d' ' -f1 | paste -sd' ')" >&2
    exit 1
  fi
  mkdir -p "$TEMP"
  next="$STAMP.$$"
  touch "$next"
  echo "build.sh: compiling the build project (sources changed)" >&2
  if ! dotnet build "$ROOT/build/_build.csproj" -c Release -o "$BIN" --nologo -v quiet -tl:off > "$TEMP/build.log" 2>&1; then
    rm -f "$next"
    grep -E ': (error|warning) ' "$TEMP/build.log" | sort -u >&2 || cat "$TEMP/build.log" >&2
    echo "build.sh: the build project does not compile (errors above, full log in .nuke/temp/build.log)" >&2
    exit 1
  fi
  mv -f "$next" "$STAMP"
fi

exec dotnet "$BIN/_build.dll" "$@"
