#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Deploy stage (master): moves the running stack to this release's images without failing
# requests, on the target DEPLOY_TARGET names.
#
# compose (default), on the agent's engine:
#  1. exports this commit's files to $DEPLOY_DIR, the stack's lasting home: compose.yaml
#     bind-mounts configuration from beside it, and the build's workspace is wiped afterwards;
#  2. pulls the release's functions and proxy images from $REGISTRY;
#  3. starts whatever is not running (on the first deploy: the whole stack), leaving the rest;
#  4. replaces the function replicas with deploy/compose/rolling-redeploy.sh (IMAGE_TAG = the version);
#  5. recreates the proxy if its image changed (nginx restarts: about a second without service).
#
# swarm, on the swarm whose manager DOCKER_HOST reaches:
#  1. on the first deploy, `docker stack deploy` of deploy/swarm/stack.yaml (its configs are
#     copied into the swarm, so nothing needs to stay on disk);
#  2. after that, deploy/swarm/update.sh: `docker service update --image` of the functions, then
#     the edge, each waiting until Swarm has converged (rolled back, and failed, otherwise).
#
# Environment: DEPLOY_TARGET (compose|swarm), REGISTRY, IMAGE_NAMESPACE (toxicity-monitor),
# REGISTRY_USERNAME and REGISTRY_PASSWORD (credential 'registry'); for compose DEPLOY_DIR,
# GRAFANA_ADMIN_PASSWORD (credential 'grafana-admin') and COMPOSE_PROJECT_NAME
# (toxicity-monitor); for swarm STACK_NAME (toxicity) and the Swarm secret
# toxicity_grafana_admin_password made beforehand. Run from the repository root.
set -euo pipefail
ci_dir=$(dirname "$0")
source "$ci_dir/lib/compose.sh"
source "$ci_dir/lib/release.sh"
source "$ci_dir/lib/registry.sh"

: "${DEPLOY_TARGET:=compose}"
version=$(release_version)
IMAGE_PREFIX=$(registry_image_prefix)
export IMAGE_PREFIX IMAGE_TAG="$version"

case $DEPLOY_TARGET in
  swarm)
    export STACK_NAME="${STACK_NAME:-toxicity}"
    registry_login
    if docker service inspect "${STACK_NAME}_functions" >/dev/null 2>&1; then
      deploy/swarm/update.sh
    else
      docker stack deploy --with-registry-auth -c deploy/swarm/stack.yaml "$STACK_NAME"
    fi
    echo "deploy: swarm stack $STACK_NAME runs $IMAGE_PREFIX/*:$version"
    ;;
  compose)
    : "${DEPLOY_DIR:?DEPLOY_DIR (the folder the deployed stack runs from) is not set}"
    : "${GRAFANA_ADMIN_PASSWORD:?GRAFANA_ADMIN_PASSWORD is not set}"
    export COMPOSE_PROJECT_NAME="${COMPOSE_PROJECT_NAME:-toxicity-monitor}"
    mkdir -p "$DEPLOY_DIR"
    git archive --format=tar HEAD | tar -x -C "$DEPLOY_DIR"
    registry_login
    cd "$DEPLOY_DIR"
    compose pull functions proxy
    compose up -d --no-recreate
    deploy/compose/rolling-redeploy.sh
    compose up -d --no-deps proxy
    echo "deploy: $COMPOSE_PROJECT_NAME runs $IMAGE_PREFIX/*:$version"
    ;;
  *)
    echo "DEPLOY_TARGET must be compose or swarm, not '$DEPLOY_TARGET'" >&2
    exit 2
    ;;
esac
