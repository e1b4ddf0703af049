#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Deploy stage (master): moves the running stack to this release's images without failing requests.
#  1. exports this commit's files to $DEPLOY_DIR, the stack's lasting home: compose.yaml
#     bind-mounts configuration from beside it, and the build's workspace is wiped afterwards;
#  2. pulls the release's functions and proxy images from $REGISTRY;
#  3. starts whatever is not running (on the first deploy: the whole stack), leaving the rest;
#  4. replaces the function replicas with deploy/compose/rolling-redeploy.sh (IMAGE_TAG = the version);
#  5. recreates the proxy if its image changed (nginx restarts: about a second without service).
#
# Environment: DEPLOY_DIR, REGISTRY, IMAGE_NAMESPACE (toxicity-monitor), REGISTRY_USERNAME and
# REGISTRY_PASSWORD (credential 'registry'), GRAFANA_ADMIN_PASSWORD (credential 'grafana-admin'),
# COMPOSE_PROJECT_NAME (toxicity-monitor). Docker commands go to the agent's engine (DOCKER_HOST).
# Run from the repository root.
set -euo pipefail
ci_dir=$(dirname "$0")
source "$ci_dir/lib/compose.sh"
source "$ci_dir/lib/release.sh"
source "$ci_dir/lib/registry.sh"

: "${DEPLOY_DIR:?DEPLOY_DIR (the folder the deployed stack runs from) is not set}"
: "${GRAFANA_ADMIN_PASSWORD:?GRAFANA_ADMIN_PASSWORD is not set}"
version=$(release_version)
IMAGE_PREFIX=$(registry_image_prefix)
export IMAGE_PREFIX IMAGE_TAG="$version" COMPOSE_PROJECT_NAME="${COMPOSE_PROJECT_NAME:-toxicity-monitor}"

mkdir -p "$DEPLOY_DIR"
git archive --format=tar HEAD | tar -x -C "$DEPLOY_DIR"
registry_login
cd "$DEPLOY_DIR"
compose pull functions proxy
compose up -d --no-recreate
deploy/compose/rolling-redeploy.sh
compose up -d --no-deps proxy
echo "deploy: $COMPOSE_PROJECT_NAME runs $IMAGE_PREFIX/*:$version"
