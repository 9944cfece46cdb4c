#!/usr/bin/env bash
# Our deterministic zip writer (Depoxy.Packaging.Zip) against Info-ZIP `zip -X -r -q` at the same deflate level, on
# the same API publish folder, both timed in this run (best of RUNS each). Goal: time ratio ours/zip <= 1.0.
# Sizes are printed too (same zlib level: ours should be within a few percent of zip's).
# Usage: bench/zip.sh [publish-folder]   (default artifacts/publish/api; published here when missing)
#        LEVEL=6 RUNS=5 bench/zip.sh
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LEVEL="${LEVEL:-6}"
RUNS="${RUNS:-5}"
FOLDER="${1:-$ROOT/artifacts/publish/api}"
WORK="$(mktemp -d -t depoxy-zip-bench-XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

for tool in zip unzip dotnet awk; do
  command -v "$tool" >/dev/null || { echo "$tool not found on PATH" >&2; exit 1; }
done

if [[ ! -d "$FOLDER" ]]; then
  echo "No publish folder at $FOLDER: publishing the API into a scratch folder..."
  FOLDER="$WORK/publish"
  dotnet publish "$ROOT/api/Depoxy.Api/Depoxy.Api.csproj" -c Release -o "$FOLDER" --artifacts-path "$WORK/dotnet" \
    -nologo -v:q -p:UseAppHost=false -p:DebugType=none -p:DebugSymbols=false >"$WORK/publish.log" 2>&1 \
    || { tail -30 "$WORK/publish.log" >&2; exit 1; }
fi

# A .NET 10 file-based app: builds against src/Depoxy.Packaging and times only the zip (in-process, so no runtime
# start-up is counted; zip's own start-up is a millisecond).
cat >"$WORK/zipbench.cs" <<EOF
#:project $ROOT/src/Depoxy.Packaging/Depoxy.Packaging.csproj
using System.Diagnostics;
using System.Globalization;
using Depoxy.Packaging.Zip;

var (folder, output, level, runs) = (args[0], args[1], int.Parse(args[2]), int.Parse(args[3]));
for (var i = 0; i < runs; i++)
{
    var clock = Stopwatch.StartNew();
    DeterministicZip.CreateFile(output, FolderFiles.Collect(folder, FileModes.WithExecutables("run.sh")), level);
    Console.WriteLine(clock.Elapsed.TotalSeconds.ToString("0.0000", CultureInfo.InvariantCulture));
}
EOF

echo "Building the bench runner..."
(cd "$WORK" && dotnet build zipbench.cs -c Release -o "$WORK/runner" -v:q -nologo >"$WORK/build.log" 2>&1) \
  || { tail -30 "$WORK/build.log" >&2; exit 1; }

files=$(find "$FOLDER" -type f | wc -l)
bytes=$(find "$FOLDER" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
echo "Folder: $FOLDER ($files files, $bytes bytes), level $LEVEL, best of $RUNS runs each"

ours_times="$(dotnet "$WORK/runner/zipbench.dll" "$FOLDER" "$WORK/ours.zip" "$LEVEL" "$RUNS")"
ours_best="$(echo "$ours_times" | sort -g | head -n 1)"
ours_cold="$(echo "$ours_times" | head -n 1)"

zip_times=""
for _ in $(seq 1 "$RUNS"); do
  rm -f "$WORK/ref.zip"
  start=$(date +%s.%N)
  (cd "$FOLDER" && zip -X -r -q "-$LEVEL" "$WORK/ref.zip" .)
  end=$(date +%s.%N)
  zip_times+="$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.4f", b - a}')"$'\n'
done
zip_best="$(echo "$zip_times" | sed '/^$/d' | sort -g | head -n 1)"

unzip -tq "$WORK/ours.zip" >/dev/null || { echo "unzip -t failed on our zip" >&2; exit 1; }
ours_size=$(stat -c %s "$WORK/ours.zip")
zip_size=$(stat -c %s "$WORK/ref.zip")

printf '%-22s %12s bytes  %8ss  (first run, JIT included: %ss)\n' "ours (DeterministicZip)" "$ours_size" "$ours_best" "$ours_cold"
printf '%-22s %12s bytes  %8ss\n' "zip -X -r -q -$LEVEL" "$zip_size" "$zip_best"
time_ratio=$(awk -v o="$ours_best" -v z="$zip_best" 'BEGIN {printf "%.2f", o / z}')
size_ratio=$(awk -v o="$ours_size" -v z="$zip_size" 'BEGIN {printf "%.3f", o / z}')
echo "time ratio ours/zip: $time_ratio (goal <= 1.0: $(awk -v r="$time_ratio" 'BEGIN {print (r <= 1.0) ? "met" : "missed"}'))"
echo "size ratio ours/zip: $size_ratio"
