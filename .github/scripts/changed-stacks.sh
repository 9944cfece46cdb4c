#!/usr/bin/env bash
# Maps changed paths (one per line on stdin) to the plan matrix of the pull-request workflow.
# tf/<stage>/<stack>/** plans that stack; modules/** plans every stack, since any of them may use the module.
# Prints {"include":[{"stage":..,"stack":..},..]} on one line.
set -euo pipefail

stages=(dev prod)
stacks=(api www app)

declare -A selected=()
all=false
while IFS= read -r path; do
  case "$path" in
    modules/*) all=true ;;
    tf/*/*/*)
      IFS=/ read -r _ stage stack _ <<<"$path"
      selected["$stage:$stack"]=1
      ;;
  esac
done

entries=()
for stage in "${stages[@]}"; do
  for stack in "${stacks[@]}"; do
    if [[ "$all" == true || -n "${selected["$stage:$stack"]:-}" ]]; then
      entries+=("{\"stage\":\"$stage\",\"stack\":\"$stack\"}")
    fi
  done
done

echo "{\"include\":[$(IFS=,; echo "${entries[*]:-}")]}"
