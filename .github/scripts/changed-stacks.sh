#!/usr/bin/env bash
# Maps changed paths (one per line on stdin) to what the pull-request workflow plans, as two $GITHUB_OUTPUT lines:
#   matrix={"include":[{"stage":..,"stack":..},..]}   the stage stacks to plan with ./build.sh Plan
#   ci=true|false                                      whether to plan tf/ci with ./build.sh PlanCi
# tf/<stage>/<stack>/** plans that stack and tf/ci/** plans tf/ci. modules/<m>/** plans exactly the stacks whose HCL
# names modules/<m> in a module source (a local path or a published zip), directly or through another module: which
# stacks use a module is read from tf/ and modules/, never written here. build/**, src/Depoxy.Terraform/** and
# .nuke/parameters*.json plan everything: they are how every plan is made (targets, the terraform runner, the buckets
# and region the stacks are planned with).
# The HCL is read from the repository the script is in, or from the directory given as its one argument.
set -euo pipefail

root="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
stages=(dev prod)
stacks=(api www app)

declare -A selected=()
all=false
ci=false

# Every module source in the HCL, as "<file>\t<directory of the module>" relative to the root: a local source resolved
# against its file's folder, a published one (s3::, git::...) by the modules/<m> it names.
module_sources() {
  local file source dir
  while IFS=$'\t' read -r file source; do
    case "$source" in
      ./* | ../*)
        dir="$(cd "$root/$(dirname "$file")" && realpath -m "$source")"
        printf '%s\t%s\n' "$file" "${dir#"$root"/}"
        ;;
      *modules/*)
        if [[ "$source" =~ (^|[/:])(modules/[A-Za-z0-9_.-]+)(/|$) ]]; then printf '%s\t%s\n' "$file" "${BASH_REMATCH[2]}"; fi
        ;;
    esac
  done < <(cd "$root" && grep -rHE --include='*.tf' '^[[:space:]]*source[[:space:]]*=[[:space:]]*"' tf modules 2>/dev/null \
    | sed -E 's/^([^:]+):[[:space:]]*source[[:space:]]*=[[:space:]]*"([^"]*)".*/\1\t\2/')
}

# Selects every stack that uses module $1 (modules/<name>), following the modules that use it in turn.
declare -A visited=()
select_users_of() {
  if [[ -n "${visited["$1"]:-}" ]]; then return; fi
  visited["$1"]=1
  local file used stage stack
  while IFS=$'\t' read -r file used; do
    [[ "$used" == "$1" ]] || continue
    case "$file" in
      tf/ci/*) ci=true ;;
      tf/*/*/*)
        IFS=/ read -r _ stage stack _ <<<"$file"
        selected["$stage:$stack"]=1
        ;;
      modules/*/*) select_users_of "$(cut -d/ -f1-2 <<<"$file")" ;;
    esac
  done <<<"$sources"
}

sources="$(module_sources)"
while IFS= read -r path; do
  case "$path" in
    build/* | src/Depoxy.Terraform/* | .nuke/parameters*.json)
      all=true
      ci=true
      ;;
    modules/*/*) select_users_of "$(cut -d/ -f1-2 <<<"$path")" ;;
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
