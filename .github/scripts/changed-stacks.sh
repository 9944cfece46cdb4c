#!/usr/bin/env bash
# Maps changed paths (one per line on stdin) to what the pull-request workflow plans, as two $GITHUB_OUTPUT lines:
#   matrix={"include":[{"stage":..,"stack":..},..]}   the stage stacks to plan with ./build.sh Plan
#   ci=true|false                                      whether to plan tf/ci with ./build.sh PlanCi
# tf/<stage>/<stack>/** plans that stack; modules/** plans every stack, since any of them may use the module.
# tf/ci/** plans tf/ci. build/**, src/Depoxy.Terraform/** and .nuke/parameters*.json plan everything: they are how
# every plan is made (targets, the terraform runner, the buckets and region the stacks are planned with).
set -euo pipefail

stages=(dev prod)
stacks=(api www app)

declare -A selected=()
all=false
ci=false
while IFS= read -r path; do
  case "$path" in
    build/* | src/Depoxy.Terraform/* | .nuke/parameters*.json)
      all=true
      ci=true
      ;;
    modules/*) all=true ;;
    tf/ci/*) ci=true ;;
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

echo "matrix={\"include\":[$(IFS=,; echo "${entries[*]:-}")]}"
echo "ci=$ci"
