#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Build and push images stage (master): builds the functions and proxy images with compose.yaml's
# build settings (base images pulled fresh) and pushes each to $REGISTRY twice, tagged with the
# release version and with the short commit. Lists what it pushed in reports/images.txt.
#
# Environment: REGISTRY (host[:port]), IMAGE_NAMESPACE (toxicity-monitor), REGISTRY_USERNAME and
# REGISTRY_PASSWORD (Jenkins credential 'registry'). Run from the repository root.
set -euo pipefail
ci_dir=$(dirname "$0")
source "$ci_dir/lib/compose.sh"
source "$ci_dir/lib/release.sh"
source "$ci_dir/lib/registry.sh"

version=$(release_version)
commit=$(git rev-parse --short=12 HEAD)
IMAGE_PREFIX=$(registry_image_prefix)
export IMAGE_PREFIX IMAGE_TAG="$version"
without_grafana
registry_login

compose build --pull functions proxy
mkdir -p reports
: >reports/images.txt
for service in functions proxy; do
  image="$IMAGE_PREFIX/$service"
  docker tag "$image:$version" "$image:$commit"
  for tag in "$version" "$commit"; do
    docker push "$image:$tag"
    printf '%s:%s\n' "$image" "$tag" >>reports/images.txt
  done
done
