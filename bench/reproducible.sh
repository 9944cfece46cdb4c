#!/usr/bin/env bash
# Build once, prove it: two clean clones of the same commit in two different directories (different depths and
# names), `./build.sh Package` in each, then every packaged zip compared byte for byte. Prints both hashes of
# api.zip (sha256 hex and base64, the Lambda CodeSha256 form) and of every other zip; exits 1 when any differ.
# Each clone gets an empty API build cache of its own, so both really compile the API (checked from their logs).
# Usage: bench/reproducible.sh [repository-to-clone] [ref]   (default: this repository at HEAD)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SOURCE="${1:-$ROOT}"
REF="${2:-HEAD}"
WORK="$(mktemp -d -t depoxy-repro-XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

COMMIT="$(git -C "$SOURCE" rev-parse "$REF^{commit}")"
A="$WORK/a/depoxy"
B="$WORK/elsewhere/much/deeper/checkout-b"

package() {
  local dir="$1" name="$2"
  mkdir -p "$(dirname "$dir")"
  git clone -q --no-local --no-checkout "$SOURCE" "$dir"
  git -C "$dir" checkout -q --detach "$COMMIT"
  local start=$SECONDS
  echo "[$name] ./build.sh Package in $dir"
  if ! (cd "$dir" && API_BUILD_CACHE="$WORK/$name-api-builds" ./build.sh Package --no-logo) > >(tee "$WORK/$name.log" | grep --line-buffered -E '^(api: |API inputs )' | sed -u "s/^/[$name]   /") 2>&1; then
    sleep 1
    tail -40 "$WORK/$name.log" >&2
    echo "[$name] Package failed (log above)" >&2
    exit 2
  fi
  sleep 1 # let the output filter print its last lines
  if ! grep -q '^API inputs .*: built' "$WORK/$name.log"; then
    echo "[$name] Package did not compile the API (it reused a build): nothing would be proven" >&2
    exit 2
  fi
  echo "[$name] packaged in $((SECONDS - start)) s"
}

package "$A" a
package "$B" b

digest() { printf '%s  %s' "$(sha256sum "$1" | cut -d' ' -f1)" "$(openssl dgst -sha256 -binary "$1" | base64)"; }

status=0
echo
echo "commit $COMMIT"
while IFS= read -r zip; do
  rel="${zip#"$A/artifacts/"}"
  other="$B/artifacts/$rel"
  if [[ ! -f "$other" ]]; then
    echo "$rel: only in clone a"; status=1; continue
  fi
  echo "$rel"
  echo "  a: $(digest "$zip")"
  echo "  b: $(digest "$other")"
  if cmp -s "$zip" "$other"; then echo "  identical"; else echo "  DIFFERENT"; status=1; fi
done < <(find "$A/artifacts" -name '*.zip' -not -path '*/publish/*' -not -path '*/dotnet/*' | sort)

if [[ "$(cat "$A/artifacts/api.zip.base64sha256")" != "$(openssl dgst -sha256 -binary "$A/artifacts/api.zip" | base64)" ]]; then
  echo "api.zip.base64sha256 does not hold base64(sha256(api.zip))"; status=1
fi
[[ $status -eq 0 ]] && echo "All packaged zips are byte-identical across both clones." || echo "Packages differ between clones." >&2
exit $status
