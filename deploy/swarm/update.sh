#!/usr/bin/env bash
# Rolls a running Swarm stack onto new images with `docker service update --image`, one service
# at a time (the functions, then the edge), each time waiting until Swarm has converged. The
# functions' update_config (deploy/swarm/swarm.patch.yaml) starts each new replica beside an old
# one, waits for its health check, then drains the old one; a replica that fails makes Swarm roll
# back to the previous image, and this script fail.
#   IMAGE_PREFIX=registry.example.com:5000/toxicity-monitor IMAGE_TAG=1.2.3 deploy/swarm/update.sh [SERVICE...]
# Environment: IMAGE_PREFIX, IMAGE_TAG, STACK_NAME (default toxicity), UPDATE_TIMEOUT (seconds
# one service's update may take, default 900). The docker CLI must reach a manager (DOCKER_HOST
# or its context).
set -euo pipefail
: "${IMAGE_PREFIX:?IMAGE_PREFIX (registry/namespace of the images) is not set}"
: "${IMAGE_TAG:?IMAGE_TAG is not set}"
stack=${STACK_NAME:-toxicity}
services=("$@")
[ ${#services[@]} -gt 0 ] || services=(functions proxy)

for service in "${services[@]}"; do
  name="${stack}_${service}"
  image="$IMAGE_PREFIX/$service:$IMAGE_TAG"
  echo "swarm-update: $name to $image" >&2
  # In microseconds: bash's SECONDS counts whole seconds from the shell's start, so a deadline
  # of SECONDS + 1 could pass a moment later, before a second look.
  deadline=$((${EPOCHREALTIME/./} + ${UPDATE_TIMEOUT:-900} * 1000000))
  docker service update --detach=false --quiet --with-registry-auth --image "$image" "$name"
  # The CLI returns once the new tasks have run 5 s; Swarm still watches the last one for the
  # update's monitor period, and only then calls the update completed (or rolls it back).
  while :; do
    state=$(docker service inspect --format '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}' "$name")
    case "$state" in
      '' | completed) break ;;
      updating | rollback_started)
        if [ "${EPOCHREALTIME/./}" -ge "$deadline" ]; then
          echo "swarm-update: $name still '$state' after ${UPDATE_TIMEOUT:-900} s" >&2
          exit 1
        fi
        sleep 1 ;;
      *)
        echo "swarm-update: $name ended the update as '$state'; Swarm keeps the previous image" >&2
        exit 1 ;;
    esac
  done
done
echo "swarm-update: ${services[*]} run $IMAGE_TAG" >&2
