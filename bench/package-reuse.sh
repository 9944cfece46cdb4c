#!/usr/bin/env bash
# What reusing the API build by its inputs saves, measured in one run on a fresh clone:
#   1. `./build.sh Package` with an empty API build cache (the full Native AOT compile),
#   2. a commit that changes only www/, then `./build.sh Package` again (same API inputs: api.zip from the cache).
# Prints the second Package as a ratio of the first (goal: at most 0.1x) and checks that the second shipped the same
# api.zip bytes and said so. While Package runs, its API lines (phase heartbeat, reuse) are shown as they come.
# Usage: bench/package-reuse.sh [repository-to-clone] [ref]   (default: this repository at HEAD)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SOURCE="${1:-$ROOT}"
REF="${2:-HEAD}"
WORK="$(mktemp -d -t depoxy-reuse-bench-XXXXXX)"
CLONE="$WORK/depoxy"
trap 'rm -rf "$WORK"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# A cache of this run only: a cache shared through the caller's environment would make the first Package warm.
export API_BUILD_CACHE="$WORK/api-builds"

git clone -q --no-local --no-checkout "$SOURCE" "$CLONE"
git -C "$CLONE" checkout -q --detach "$(git -C "$SOURCE" rev-parse "$REF^{commit}")"
echo "Compiling the build in $CLONE (not timed)"
(cd "$CLONE" && ./build.sh --help --no-logo >/dev/null)

# Runs Package, showing its API lines as they come; prints the wall time in seconds as its last line on fd 3.
package() {
  local name="$1" start end
  echo "[$name] ./build.sh Package"
  start=$(date +%s.%N)
  if ! (cd "$CLONE" && ./build.sh Package --no-logo) > >(tee "$WORK/$name.log" | grep --line-buffered -E '^(api: |API inputs |Packaging version )' | sed -u "s/^/[$name]   /") 2>&1; then
    sleep 1
    tail -40 "$WORK/$name.log" >&2
    echo "[$name] Package failed (log above)" >&2
    exit 2
  fi
  end=$(date +%s.%N)
  sleep 1 # let the output filter print its last lines
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f\n", e - s }' >&3
}

full=$(package full 3>&1 1>&2)
echo "[full] packaged in $full s"
cp "$CLONE/artifacts/api.zip" "$WORK/full-api.zip"

echo "<!-- package-reuse bench: a change to www/ only -->" >> "$CLONE/www/index.html"
git -C "$CLONE" -c user.name=bench -c user.email=bench@example.com commit -qam "bench: change www/ only"

reuse=$(package www-only 3>&1 1>&2)
echo "[www-only] packaged in $reuse s"

status=0
if ! grep -q "API inputs .*: reused the build of" "$WORK/www-only.log"; then
  echo "the www-only Package did not reuse the API build"; status=1
fi
if ! cmp -s "$WORK/full-api.zip" "$CLONE/artifacts/api.zip"; then
  echo "the www-only Package shipped other api.zip bytes than the full one"; status=1
fi
echo
awk -v f="$full" -v r="$reuse" 'BEGIN {
  ratio = r / f
  printf "full Package          %7.1f s\n", f
  printf "www/-only Package     %7.1f s   %.3fx of the full one (goal <= 0.1x): %s\n", r, ratio, ratio <= 0.1 ? "met" : "NOT met"
}'
exit $status
