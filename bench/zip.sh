#!/usr/bin/env bash
# Our deterministic zip writer (Depoxy.Packaging.Zip, zlib-ng through .NET) against Info-ZIP `zip -X -r -q`, on the
# same API publish folder, both run as whole processes (start-up included on both sides) and timed in this run (best
# of RUNS each, wall and CPU). The same level number is no fair match: zlib-ng's level 6 compresses less than zlib's,
# so zip's level is chosen as the one whose output size is closest to ours, and the size ratio is printed beside the
# time ratios. Goal: wall and CPU ratio ours/zip <= 1.0 at a size ratio near 1.
# Usage: bench/zip.sh [publish-folder]   (default artifacts/publish/api, which ./build.sh Package writes)
#        LEVEL=6 RUNS=5 bench/zip.sh     (LEVEL is ours; ZIP_LEVEL=n fixes zip's instead of matching the size)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/bench/progress.sh"
LEVEL="${LEVEL:-6}"
RUNS="${RUNS:-5}"
FOLDER="${1:-$ROOT/artifacts/publish/api}"
WORK="$(mktemp -d -t depoxy-zip-bench-XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

for tool in zip unzip dotnet awk; do
  command -v "$tool" >/dev/null || { echo "$tool not found on PATH" >&2; exit 1; }
done
if [[ ! -f "$FOLDER/bootstrap" ]]; then
  echo "No API publish folder at $FOLDER (no bootstrap in it): run ./build.sh Package first (it publishes the API Native AOT there), or pass a folder" >&2
  exit 2
fi

# A .NET 10 file-based app: one zip per process, as Package writes it (bootstrap executable).
cat >"$WORK/zipbench.cs" <<EOF
#:project $ROOT/src/Depoxy.Packaging/Depoxy.Packaging.csproj
using Depoxy.Packaging.Zip;

DeterministicZip.CreateFile(args[1], FolderFiles.Collect(args[0], FileModes.WithExecutables("bootstrap")), int.Parse(args[2]));
EOF
progress "Building the bench runner" "$WORK/build.log" \
  bash -c 'cd "$1" && dotnet build zipbench.cs -c Release -o "$1/runner" -v:q -nologo' _ "$WORK"

ours() { dotnet "$WORK/runner/zipbench.dll" "$FOLDER" "$WORK/ours.zip" "$LEVEL"; }
info_zip() { rm -f "$WORK/ref.zip"; (cd "$FOLDER" && zip -X -r -q "-$1" "$WORK/ref.zip" .); }

# Prints "wall user+sys" of the best (by wall) of RUNS runs of a command, run as a whole process each time.
best_of() {
  local name="$1" best="" line
  shift
  for run in $(seq 1 "$RUNS"); do
    line=$( { TIMEFORMAT='%R %U %S'; time "$@" >/dev/null 2>&1; } 2>&1 | awk '{printf "%.3f %.3f", $1, $2 + $3}')
    echo "  $name run $run/$RUNS: $line s (wall, CPU)" >&2
    if [[ -z "$best" ]] || awk -v a="${line%% *}" -v b="${best%% *}" 'BEGIN {exit !(a < b)}'; then best="$line"; fi
  done
  echo "$best"
}

files=$(find "$FOLDER" -type f | wc -l)
bytes=$(find "$FOLDER" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
echo "Folder: $FOLDER ($files files, $bytes bytes), ours at level $LEVEL, best of $RUNS runs each"

ours
unzip -tq "$WORK/ours.zip" >/dev/null || { echo "unzip -t failed on our zip" >&2; exit 1; }
ours_size=$(stat -c %s "$WORK/ours.zip")
if [[ -n "${ZIP_LEVEL:-}" ]]; then
  zip_level="$ZIP_LEVEL"
else
  echo "Matching zip's level to our size ($ours_size bytes):"
  zip_level="" closest=""
  for level in 1 2 3 4 5 6 7 8 9; do
    info_zip "$level"
    size=$(stat -c %s "$WORK/ref.zip")
    distance=$(( size > ours_size ? size - ours_size : ours_size - size ))
    echo "  zip -$level: $size bytes"
    if [[ -z "$closest" || $distance -lt $closest ]]; then closest=$distance zip_level=$level; fi
  done
fi
info_zip "$zip_level"
zip_size=$(stat -c %s "$WORK/ref.zip")

echo "Timing ours (dotnet zipbench.dll, level $LEVEL)…"
read -r ours_wall ours_cpu <<<"$(best_of ours ours)"
echo "Timing zip -X -r -q -$zip_level…"
read -r zip_wall zip_cpu <<<"$(best_of zip info_zip "$zip_level")"

echo
printf '%-28s %12s bytes  %8ss wall  %8ss CPU\n' "ours (DeterministicZip) -$LEVEL" "$ours_size" "$ours_wall" "$ours_cpu"
printf '%-28s %12s bytes  %8ss wall  %8ss CPU\n' "zip -X -r -q -$zip_level" "$zip_size" "$zip_wall" "$zip_cpu"
ratio() { awk -v o="$1" -v z="$2" 'BEGIN {printf "%.2f", o / z}'; }
verdict() { awk -v r="$1" 'BEGIN {print (r <= 1.0) ? "met" : "missed"}'; }
wall_ratio=$(ratio "$ours_wall" "$zip_wall")
cpu_ratio=$(ratio "$ours_cpu" "$zip_cpu")
echo "size ratio ours/zip: $(awk -v o="$ours_size" -v z="$zip_size" 'BEGIN {printf "%.3f", o / z}') (zip's level chosen for the closest size)"
echo "wall ratio ours/zip: $wall_ratio (goal <= 1.0: $(verdict "$wall_ratio"))"
echo "CPU ratio ours/zip:  $cpu_ratio (goal <= 1.0: $(verdict "$cpu_ratio"))"
