#!/usr/bin/env bash
# Cold start of api.zip, old build against new, in one run. Each build's api.zip is unpacked and started as Lambda's
# Web Adapter starts it (the old one through run.sh, the new one through bootstrap) against a local moto, RUNS times
# each, alternating; the script prints the medians of
#   - time to healthy: process start until /api/v1/health first answers 200 (the Web Adapter's readiness check);
#   - first authenticated request: right after that, GET /api/v1/auth/who-am-i with a valid session cookie;
#   - CPU to healthy: the process's user+system time when it was first healthy, which a busy machine does not inflate;
# as new/old ratios, plus both zip sizes, and checks the goal of at most 0.15 s to healthy for the new build.
#
# Usage: bench/api-cold-start.sh [old-ref-or-zip] [new-ref-or-zip]
#   default old: 871b2b0 (main before the move to provided.al2023); default new: HEAD of this repository.
#   A ref is packaged with ./build.sh Package in a clean clone at that commit; a path to an api.zip is taken as is.
#   RUNS=7 by default. Needs moto_server, the AWS CLI, python3 with cryptography, and the .NET SDK (for the old build).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/bench/progress.sh"
OLD="${1:-871b2b0}"
NEW="${2:-HEAD}"
RUNS="${RUNS:-7}"
WORK="$(mktemp -d -t depoxy-coldstart-XXXXXX)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
MOTO_PID=""
cleanup() {
  [[ -n "$MOTO_PID" ]] && kill "$MOTO_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# Prints the path of the api.zip for a ref (packaged in a clean clone) or a zip path (taken as is).
zip_for() {
  local what="$1" name="$2"
  if [[ -f "$what" ]]; then echo "$(cd "$(dirname "$what")" && pwd)/$(basename "$what")"; return; fi
  local tree="$WORK/$name-tree" commit
  commit="$(git -C "$ROOT" rev-parse "$what^{commit}")"
  git clone -q --no-local --no-checkout "$ROOT" "$tree"
  git -C "$tree" checkout -q --detach "$commit"
  local start=$SECONDS
  (cd "$tree" && progress "[$name] ./build.sh Package at $(git -C "$tree" rev-parse --short HEAD)" "$WORK/$name-package.log" ./build.sh Package --no-logo) >&2 || exit 2
  echo "[$name] packaged in $((SECONDS - start)) s" >&2
  echo "$tree/artifacts/api.zip"
}

OLD_ZIP="$(zip_for "$OLD" old)"
NEW_ZIP="$(zip_for "$NEW" new)"
mkdir -p "$WORK/old" "$WORK/new"
unzip -q "$OLD_ZIP" -d "$WORK/old"
unzip -q "$NEW_ZIP" -d "$WORK/new"

MOTO_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
echo "Starting moto on port $MOTO_PORT and seeding the API's bucket, secret and sender"
moto_server -H 127.0.0.1 -p "$MOTO_PORT" >"$WORK/moto.log" 2>&1 &
MOTO_PID=$!
export AWS_ENDPOINT_URL="http://127.0.0.1:$MOTO_PORT" AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=eu-west-1 AWS_DEFAULT_REGION=eu-west-1
for _ in $(seq 1 200); do curl -fsS "$AWS_ENDPOINT_URL/moto-api/" >/dev/null 2>&1 && break; sleep 0.1; done

export DEPOXY_API_S3_BUCKET=depoxy-bench DEPOXY_API_JWT_SECRET_ID=bench/depoxy/api DEPOXY_API_SES_SENDER_ADDRESS=login@send.depoxy.bench
"$ROOT/api/seed-moto.sh" >/dev/null

python3 - "$WORK" "$RUNS" "$OLD_ZIP" "$NEW_ZIP" <<'PY'
import base64, json, os, socket, statistics, subprocess, sys, time, urllib.request, uuid
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

work, runs, old_zip, new_zip = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
endpoint = os.environ["AWS_ENDPOINT_URL"]
secret = json.loads(subprocess.check_output(["aws", "--endpoint-url", endpoint, "secretsmanager", "get-secret-value",
                                             "--secret-id", os.environ["DEPOXY_API_JWT_SECRET_ID"], "--output", "json"]))
key = serialization.load_der_private_key(base64.b64decode(secret["SecretString"]), password=None)

def b64(data): return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

def token():
    now = int(time.time())
    claims = {"aud": "DepoxyBench", "iss": "DepoxyBench", "email": "ada@example.com", "first_name": "Ada", "role": "user",
              "jti": uuid.uuid4().hex, "iat": now, "nbf": now, "exp": now + 3600}
    signing_input = b64(json.dumps({"alg": "ES256", "typ": "JWT"}).encode()) + "." + b64(json.dumps(claims).encode())
    r, s = decode_dss_signature(key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
    return signing_input + "." + b64(r.to_bytes(32, "big") + s.to_bytes(32, "big"))

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def get(url, cookie=None):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as e:
        return e.code

# The old build names its cookie depoxy_session; the new one per stage, without __Host- on plain HTTP.
builds = {
    "old": (os.path.join(work, "old"), ["/bin/sh", "run.sh"], "depoxy_session"),
    "new": (os.path.join(work, "new"), ["./bootstrap"], "depoxy-bench-session"),
}
def cpu_seconds(pid):
    # utime and stime of the process and its waited-for children (run.sh execs dotnet, so it is the same pid).
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")

results = {name: {"healthy": [], "first": [], "cpu": []} for name in builds}
for run in range(runs):
    print(f"run {run + 1}/{runs}: starting old and new", flush=True)
    for name, (folder, command, cookie_name) in builds.items():
        port = free_port()
        env = dict(os.environ, PORT=str(port), AWS_LWA_PORT=str(port), ASPNETCORE_URLS=f"http://127.0.0.1:{port}",
                   DEPOXY_API_STAGE="bench", DEPOXY_API_COOKIE_MAX_AGE_DAYS="1", DEPOXY_API_COOKIE_SECURITY="false",
                   DEPOXY_API_CORS_ALLOW_ORIGIN="http://localhost:5173", DEPOXY_API_JWT_ALGORITHM="ES256",
                   DEPOXY_API_JWT_AUDIENCE="DepoxyBench", DEPOXY_API_S3_PREFIX="api")
        base = f"http://127.0.0.1:{port}/api/v1"
        start = time.monotonic()
        process = subprocess.Popen(command, cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while True:
                if process.poll() is not None: sys.exit(f"{name}: the API exited with {process.returncode} before it was healthy")
                if time.monotonic() - start > 60: sys.exit(f"{name}: not healthy within 60 s")
                try:
                    if get(base + "/health") == 200: break
                except OSError:
                    time.sleep(0.002)
            healthy = time.monotonic() - start
            cpu = cpu_seconds(process.pid)
            cookie = f"{cookie_name}={token()}"
            first_start = time.monotonic()
            status = get(base + "/auth/who-am-i", cookie)
            first = time.monotonic() - first_start
            if status != 200: sys.exit(f"{name}: who-am-i with a valid session answered {status}")
        finally:
            process.kill()
            process.wait()
        results[name]["healthy"].append(healthy)
        results[name]["first"].append(first)
        results[name]["cpu"].append(cpu)

median = {name: {k: statistics.median(v) for k, v in r.items()} for name, r in results.items()}
size = {"old": os.path.getsize(old_zip), "new": os.path.getsize(new_zip)}
print(f"\n{'':28}{'old':>12}{'new':>12}{'new/old':>10}")
print(f"{'time to healthy (median)':28}{median['old']['healthy']:>11.3f}s{median['new']['healthy']:>11.3f}s{median['new']['healthy'] / median['old']['healthy']:>10.2f}")
print(f"{'first authenticated request':28}{median['old']['first']:>11.3f}s{median['new']['first']:>11.3f}s{median['new']['first'] / median['old']['first']:>10.2f}")
print(f"{'CPU to healthy (median)':28}{median['old']['cpu']:>11.3f}s{median['new']['cpu']:>11.3f}s{median['new']['cpu'] / median['old']['cpu']:>10.2f}")
print(f"{'api.zip size':28}{size['old'] / 1e6:>10.2f}MB{size['new'] / 1e6:>10.2f}MB{size['new'] / size['old']:>10.2f}")
print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {runs} runs each; every time to healthy, old: {', '.join(f'{t:.3f}' for t in results['old']['healthy'])}; new: {', '.join(f'{t:.3f}' for t in results['new']['healthy'])})")
goal = 0.15
verdict = "met" if median["new"]["healthy"] <= goal else "NOT met"
print(f"Goal of at most {goal} s to healthy for the new build: {verdict}.")
PY
