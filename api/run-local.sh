#!/bin/bash
# Runs the API on http://127.0.0.1:${PORT:-5080} against a throwaway, seeded moto_server (or against the
# AWS_ENDPOINT_URL you already set). Every DEPOXY_API_* variable can be overridden from the calling shell.
# Sign-in links are not sent anywhere: read them from $AWS_ENDPOINT_URL/moto-api/data.json (ses → Message).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
port="${PORT:-5080}"

export DEPOXY_API_STAGE="${DEPOXY_API_STAGE:-local}"
export DEPOXY_API_COOKIE_MAX_AGE_DAYS="${DEPOXY_API_COOKIE_MAX_AGE_DAYS:-1}"
export DEPOXY_API_COOKIE_SECURITY="${DEPOXY_API_COOKIE_SECURITY:-false}"
export DEPOXY_API_CORS_ALLOW_ORIGIN="${DEPOXY_API_CORS_ALLOW_ORIGIN:-http://localhost:5173}"
export DEPOXY_API_JWT_ALGORITHM="${DEPOXY_API_JWT_ALGORITHM:-ES256}"
export DEPOXY_API_JWT_AUDIENCE="${DEPOXY_API_JWT_AUDIENCE:-DepoxyLocal}"
export DEPOXY_API_JWT_SECRET_ID="${DEPOXY_API_JWT_SECRET_ID:-local/depoxy/api}"
export DEPOXY_API_S3_BUCKET="${DEPOXY_API_S3_BUCKET:-depoxy-local}"
export DEPOXY_API_S3_PREFIX="${DEPOXY_API_S3_PREFIX:-api}"
export DEPOXY_API_SES_SENDER_ADDRESS="${DEPOXY_API_SES_SENDER_ADDRESS:-login@send.depoxy.local}"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-testing}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-testing}"
export AWS_REGION="${AWS_REGION:-eu-west-1}"

if [[ -z "${AWS_ENDPOINT_URL:-}" ]]; then
  moto_port="${MOTO_PORT:-5081}"
  command -v moto_server >/dev/null || { echo "moto_server not found: pip install 'moto[server]'" >&2; exit 1; }
  moto_server -H 127.0.0.1 -p "$moto_port" >/dev/null 2>&1 &
  moto_pid=$!
  trap 'kill "$moto_pid" 2>/dev/null' EXIT
  export AWS_ENDPOINT_URL="http://127.0.0.1:$moto_port"
  for _ in $(seq 1 100); do
    curl -fsS "$AWS_ENDPOINT_URL/moto-api/" >/dev/null 2>&1 && break
    sleep 0.1
  done
fi

"$here/seed-moto.sh"
echo "API on http://127.0.0.1:$port/api/v1/health; sign-in mail at $AWS_ENDPOINT_URL/moto-api/data.json"
dotnet run --project "$here/Depoxy.Api" -- --urls "http://127.0.0.1:$port"
