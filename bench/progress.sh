# Sourced by the bench scripts: `progress LABEL LOG COMMAND...` runs COMMAND in the foreground with its output in
# LOG, says "LABEL…" first and "LABEL: N s…" every PROGRESS_SECONDS (10) while it runs, so no phase is silent for
# long; on failure it prints LOG's last 30 lines. The ticker stops with the command, or by itself once the script is
# gone (a signal runs no cleanup); its sleep writes nowhere, so it holds no caller's pipe open.
progress() {
  local label="$1" log="$2" start=$SECONDS ticker status=0
  shift 2
  echo "$label…"
  (while sleep "${PROGRESS_SECONDS:-10}" </dev/null >/dev/null 2>&1 && kill -0 $$ 2>/dev/null; do
    echo "  $label: $((SECONDS - start)) s…"
  done) &
  ticker=$!
  "$@" >"$log" 2>&1 || status=$?
  kill "$ticker" 2>/dev/null || true
  wait "$ticker" 2>/dev/null || true
  if [[ $status -ne 0 ]]; then
    tail -30 "$log" >&2
    echo "$label failed with exit code $status (log above)" >&2
  fi
  return $status
}
