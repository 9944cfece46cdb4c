#!/usr/bin/env bash
# How long the emulator takes to plan and apply a stage with the real Terraform, measured in one run on a fresh clone:
#   1. a first `Deploy --stage <stage> --emulator` on a new emulator (tf/ci bootstrap included),
#   2. the same Deploy again (a no-op: nothing to build, no changes to apply, no Lambda version published), which
#      must say so: each stack "no changes, nothing to apply", the live alias on the version it was on,
# and, from the build's own log lines, each stack's terraform init/plan/apply times. Times are printed as ratios to
# the references they answer to: the goals of the issue (first Deploy 90 s, no-op Deploy 20 s) and the seed's promise
# (plan and apply of a stage in under 60 s). Package is shown on its own: it is the API's build, not Terraform's.
# Each Deploy's own per-target table (the build's summary) closes the output.
# Usage: bench/emulator-deploy.sh [stage]   (default: dev; needs terraform, the provider mirror and moto, as ./build.sh Test)
# The first Deploy compiles the API unless API_BUILD_CACHE names a cache that holds a build of these inputs; Package's
# own line says which it did.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/bench/progress.sh"
STAGE="${1:-dev}"
WORK="$(mktemp -d -t depoxy-emulator-bench-XXXXXX)"
CLONE="$WORK/depoxy"
cleanup() { (cd "$CLONE" 2>/dev/null && ./build.sh EmulatorStop --no-logo >/dev/null 2>&1) || true; [[ -n "${KEEP_LOGS:-}" ]] || rm -rf "$WORK"; }
trap cleanup EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

git clone -q "$ROOT" "$CLONE"
cd "$CLONE"
progress "Compiling the build in $CLONE (not timed)" "$WORK/compile.log" ./build.sh --help --no-logo

# Runs a Deploy, its output in $WORK/<name>.log; sets elapsed to its wall time in seconds.
deploy() {
  local name="$1" start end
  start=$(date +%s.%N)
  progress "$name Deploy of $STAGE" "$WORK/$name.log" ./build.sh Deploy --stage "$STAGE" --emulator --no-logo || exit 2
  end=$(date +%s.%N)
  elapsed=$(echo "$end - $start" | bc)
}

target() { grep -E "^  $2 +(Succeeded|Skipped)" "$WORK/$1.log" | awk '{print $3}' | awk -F: '{print $1*60+$2}'; }
ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }

deploy first
first=$elapsed
deploy noop
noop=$elapsed

echo
echo "Emulator Deploy of $STAGE on $(nproc) cores, real Terraform $(terraform version -json | python3 -c 'import json,sys; print(json.load(sys.stdin)["terraform_version"])')"
printf '  first Deploy (bootstrap included): %6.1f s = %s x the 90 s goal\n' "$first" "$(ratio "$first" 90)"
printf '    of which Package (the API build): %5s s\n' "$(target first Package)"
printf '    of which Guard (tf/ci bootstrap): %5s s\n' "$(target first Guard)"
for name in first noop; do
  terraform_time=$(( $(target "$name" Plan) + $(target "$name" Apply) ))
  printf '  %-5s Plan + Apply of the stage: %5s s = %s x the seed'"'"'s 60 s\n' "$name" "$terraform_time" "$(ratio "$terraform_time" 60)"
done
printf '  no-op Deploy:                      %6.1f s = %s x the 20 s goal, %s x the first Deploy (goal 0.12)\n' "$noop" "$(ratio "$noop" 20)" "$(ratio "$noop" "$first")"
grep -hE "^API inputs " "$WORK/first.log" | sed 's/^/  first Deploy: /' || true
for stack in api www app; do
  grep -q "^$STAGE/$stack: no changes, nothing to apply" "$WORK/noop.log" \
    || { echo "the no-op Deploy applied $STAGE/$stack: it is not a no-op (log: $WORK/noop.log)" >&2; exit 2; }
done
grep -E "^$STAGE runs .* unchanged: " "$WORK/noop.log" | sed 's/^/  no-op Deploy: /' \
  || { echo "the no-op Deploy moved the live alias or changed a site file (log: $WORK/noop.log)" >&2; exit 2; }
echo
echo "Per stack (first Deploy, then no-op), from the build's log:"
grep -hE "^$STAGE/(api|www|app): .*(plan sha256|applied|nothing to apply)" "$WORK/first.log" "$WORK/noop.log" \
  | sed -E 's/ \(plan sha256 [0-9a-f]+;/ (/' | sed 's/^/  /'
for name in first noop; do
  echo
  echo "$name Deploy, the build's per-target table:"
  awk '/^ *Target +Status +Duration/ {show = 1} show {print "  " $0} show && /^ *Total / {exit}' "$WORK/$name.log"
done
