#!/usr/bin/env bash
# Rolling redeploy of the function replicas with no failed request:
#   1. start as many new replicas (current image for IMAGE_TAG) beside the old ones;
#   2. wait until every new one reports healthy (/readyz through the image's HEALTHCHECK);
#   3. reload nginx so its upstream resolves old and new replicas;
#   4. one at a time, SIGTERM each old replica (it drains: finishes in-flight work, nginx retries
#      elsewhere what it refuses), remove it and reload nginx so it leaves the upstream.
# Environment: COMPOSE_PROJECT_NAME, IMAGE_TAG (as compose.yaml uses them), REPLICAS (default:
# as many as run now), HEALTH_TIMEOUT seconds (default 120), STOP_TIMEOUT seconds (default 10).
set -euo pipefail
cd "$(dirname "$0")/../.."
source deploy/compose/compose.sh

say() { printf 'rolling-redeploy: %s\n' "$*" >&2; }

mapfile -t old < <(compose ps -q functions)
replicas=${REPLICAS:-${#old[@]}}
[ "$replicas" -ge 1 ] || replicas=2
say "${#old[@]} running; starting $replicas new replica(s)"
compose up -d --no-deps --no-recreate --scale functions=$(( ${#old[@]} + replicas )) functions

mapfile -t all < <(compose ps -q functions)
new=()
for id in "${all[@]}"; do
  printf '%s\n' "${old[@]}" | grep -q "^${id}" || new+=("$id")
done
[ ${#new[@]} -ge 1 ] || { say "no new replica started"; exit 1; }

deadline=$(( $(date +%s) + ${HEALTH_TIMEOUT:-120} ))
for id in "${new[@]}"; do
  until [ "$(docker inspect -f '{{.State.Health.Status}}' "$id")" = healthy ]; do
    if [ "$(date +%s)" -gt "$deadline" ]; then
      say "replica ${id:0:12} not healthy in time; removing the new replicas, keeping the old"
      docker rm -f "${new[@]}" >/dev/null
      exit 1
    fi
    sleep 1
  done
  say "new replica ${id:0:12} healthy"
done

compose exec -T proxy nginx -s reload
sleep 2
# One old replica at a time, with a reload after each: nginx's upstream then holds at most one
# address that no longer answers, which its retry on another replica always gets past.
for id in "${old[@]}"; do
  say "draining old replica ${id:0:12}"
  docker stop -t "${STOP_TIMEOUT:-10}" "$id" >/dev/null
  docker rm "$id" >/dev/null
  compose exec -T proxy nginx -s reload
  sleep 1
done
say "done: ${#new[@]} new replica(s) serving"
