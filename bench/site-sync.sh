#!/usr/bin/env bash
# Content-hash site sync (Depoxy.Sites) against `aws s3 sync` on the same moto server, same run:
# a generated 1,000-file site (≥ 20 MB) synced once by each, then a fresh copy (new mtimes, one file changed) synced again.
# Goal: ours uploads ≤ 1% of the bytes and takes ≤ 0.5× the time of `aws s3 sync`.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/bench/progress.sh"
WORK="$(mktemp -d -t depoxy-site-bench-XXXXXX)"
MOTO_PID=""
cleanup() {
  if [[ -n "$MOTO_PID" ]]; then kill "$MOTO_PID" 2>/dev/null || true; wait "$MOTO_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

for tool in moto_server aws python3 dotnet; do
  command -v "$tool" >/dev/null || { echo "$tool not found on PATH" >&2; exit 1; }
done

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
ENDPOINT="http://127.0.0.1:$PORT"
moto_server -H 127.0.0.1 -p "$PORT" >"$WORK/moto.log" 2>&1 &
MOTO_PID=$!
for _ in $(seq 1 150); do
  curl -fs "$ENDPOINT/moto-api/" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "$ENDPOINT/moto-api/" >/dev/null || { echo "moto_server did not start on $ENDPOINT" >&2; exit 1; }

export AWS_ENDPOINT_URL="$ENDPOINT" AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing \
  AWS_DEFAULT_REGION=eu-west-1 AWS_REGION=eu-west-1 AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
  DOTNET_CLI_TELEMETRY_OPTOUT=1 CI=true
unset AWS_PROFILE AWS_SESSION_TOKEN

progress "Building bench/SiteSyncBench (Release)" "$WORK/build.log" \
  dotnet build "$ROOT/bench/SiteSyncBench/SiteSyncBench.csproj" -c Release -nologo -v quiet -o "$WORK/runner"
ours() { dotnet "$WORK/runner/SiteSyncBench.dll" "$@"; }

echo "Generating a 1,000-file site…"
python3 - "$WORK/site" <<'PY'
import os, random, sys
root = sys.argv[1]
rng = random.Random(20261126)
def write(path, data):
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "wb") as f:
        f.write(data)
def text(n):
    words = [b"depoxy", b"lambda", b"cloudfront", b"deploy", b"bucket", b"<p>", b"</p>", b"stage", b"\n"]
    out = bytearray()
    while len(out) < n:
        out += rng.choice(words) + b" "
    return bytes(out[:n])
files = 0
write("index.html", text(8_000)); files += 1
for i in range(300):  # pages, 2-40 KB
    write(f"docs/section{i % 20}/page{i}.html", text(rng.randint(2_000, 40_000))); files += 1
for i in range(400):  # content-hashed bundles, 5-60 KB
    h = "%08x" % rng.getrandbits(32)
    ext = rng.choice(["js", "css"])
    write(f"assets/chunk{i}.{h}.{ext}", text(rng.randint(5_000, 60_000))); files += 1
for i in range(280):  # images, 3-60 KB of incompressible bytes
    write(f"images/img{i}.{rng.choice(['png', 'jpg', 'webp'])}", rng.randbytes(rng.randint(3_000, 60_000))); files += 1
for i in range(19):  # a few large media files, 0.1-0.4 MB
    write(f"media/clip{i}.mp4", rng.randbytes(rng.randint(100_000, 400_000))); files += 1
assert files == 1000, files
PY
FILES=$(find "$WORK/site" -type f | wc -l)
TOTAL=$(find "$WORK/site" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
echo "Site: $FILES files, $TOTAL bytes"
(( TOTAL >= 20000000 )) || { echo "generated site is below 20 MB" >&2; exit 1; }

aws --endpoint-url "$ENDPOINT" s3 mb s3://bench-ours >/dev/null
aws --endpoint-url "$ENDPOINT" s3 mb s3://bench-aws >/dev/null

now() { date +%s.%N; }
aws_bytes() { # sum of the sizes of the files `aws s3 sync` reported as uploaded
  sed -n 's/^upload: \(.*\) to s3:.*$/\1/p' "$1" | while IFS= read -r f; do stat -c %s "$f"; done | awk '{s+=$1} END {print s+0}'
}

echo "First sync (empty buckets)…"
echo "  ours…"; t0=$(now); ours "$WORK/site" bench-ours >"$WORK/ours-1.txt"; t1=$(now)
echo "  aws s3 sync…"; t1=$(now)
(cd "$WORK" && aws --endpoint-url "$ENDPOINT" s3 sync site s3://bench-aws --no-progress >"$WORK/aws-1.txt"); t2=$(now)
OURS1_T=$(echo "$t1 - $t0" | bc); AWS1_T=$(echo "$t2 - $t1" | bc)
OURS1_B=$(sed -n 's/.*uploaded_bytes=\([0-9]*\).*/\1/p' "$WORK/ours-1.txt")
AWS1_B=$(cd "$WORK" && aws_bytes "$WORK/aws-1.txt")

echo "Fresh copy (new mtimes) with one file changed…"
sleep 1.1  # the copy's mtimes must be newer than the objects' LastModified, as on a fresh CI checkout
cp -r "$WORK/site" "$WORK/site2"
python3 - "$WORK/site2/docs/section3/page3.html" <<'PY'
import sys
p = sys.argv[1]
data = bytearray(open(p, "rb").read())
data[:6] = b"DEPOXY"  # same size: a size-only comparison would miss it
open(p, "wb").write(bytes(data))
PY

echo "  ours…"; t0=$(now); ours "$WORK/site2" bench-ours >"$WORK/ours-2.txt"; t1=$(now)
echo "  aws s3 sync…"; t1=$(now)
(cd "$WORK" && aws --endpoint-url "$ENDPOINT" s3 sync site2 s3://bench-aws --no-progress >"$WORK/aws-2.txt"); t2=$(now)
OURS2_T=$(echo "$t1 - $t0" | bc); AWS2_T=$(echo "$t2 - $t1" | bc)
OURS2_B=$(sed -n 's/.*uploaded_bytes=\([0-9]*\).*/\1/p' "$WORK/ours-2.txt")
OURS2_N=$(sed -n 's/.*uploaded_files=\([0-9]*\).*/\1/p' "$WORK/ours-2.txt")
AWS2_B=$(cd "$WORK" && aws_bytes "$WORK/aws-2.txt")
AWS2_N=$(grep -c '^upload: ' "$WORK/aws-2.txt" || true)

ratio() { python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); print(f'{a / b:.4f}' if b else 'n/a')" "$1" "$2"; }
echo
printf '%-34s %14s %10s\n' "run" "bytes up" "wall s"
printf '%-34s %14s %10.2f\n' "first sync, ours" "$OURS1_B" "$OURS1_T"
printf '%-34s %14s %10.2f\n' "first sync, aws s3 sync" "$AWS1_B" "$AWS1_T"
printf '%-34s %14s %10.2f   (%s files)\n' "fresh copy + 1 edit, ours" "$OURS2_B" "$OURS2_T" "$OURS2_N"
printf '%-34s %14s %10.2f   (%s files)\n' "fresh copy + 1 edit, aws s3 sync" "$AWS2_B" "$AWS2_T" "$AWS2_N"
BYTES_RATIO=$(ratio "$OURS2_B" "$AWS2_B"); TIME_RATIO=$(ratio "$OURS2_T" "$AWS2_T")
echo
echo "first sync time ratio ours/aws:    $(ratio "$OURS1_T" "$AWS1_T")"
echo "resync bytes ratio ours/aws:       $BYTES_RATIO   (goal ≤ 0.01)"
echo "resync time ratio ours/aws:        $TIME_RATIO   (goal ≤ 0.5)"
python3 -c "import sys; b, t = float(sys.argv[1]), float(sys.argv[2]); sys.exit(0 if b <= 0.01 and t <= 0.5 else 3)" "$BYTES_RATIO" "$TIME_RATIO" \
  && echo "goals met" || { echo "goals NOT met"; exit 3; }
