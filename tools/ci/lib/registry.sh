# shellcheck shell=bash
# Sourced by the CI stage scripts that push or pull images.

# The image prefix in the registry; compose.yaml names images ${IMAGE_PREFIX}/functions and /proxy.
registry_image_prefix() {
  printf '%s/%s\n' "${REGISTRY:?REGISTRY (the registry host, e.g. registry.example.com:5000) is not set}" \
    "${IMAGE_NAMESPACE:-toxicity-monitor}"
}

# Logs in to $REGISTRY with a Docker config of its own, removed when the script exits, so the
# password never stays in the agent's ~/.docker. The password goes through stdin, never argv.
registry_login() {
  : "${REGISTRY:?REGISTRY is not set}" "${REGISTRY_USERNAME:?REGISTRY_USERNAME is not set}"
  : "${REGISTRY_PASSWORD:?REGISTRY_PASSWORD is not set}"
  DOCKER_CONFIG=$(mktemp -d)
  export DOCKER_CONFIG
  trap 'rm -rf "$DOCKER_CONFIG"' EXIT
  printf '%s' "$REGISTRY_PASSWORD" | docker login "$REGISTRY" --username "$REGISTRY_USERNAME" --password-stdin
}
