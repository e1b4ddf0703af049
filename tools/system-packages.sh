#!/usr/bin/env bash
# Makes sure the Debian packages behind the programs the stack and the tests run are installed:
# nginx, Chromium, Prometheus (with promtool), node-exporter and Alertmanager (with amtool), and
# Groovy (the pipeline tests compile the Jenkinsfile with it), the registry the swarm lab
# runs (docker-registry), and docker-compose (the Jenkins tests check jenkins/compose.yaml with it).
# As root it installs what is missing with apt-get; otherwise it lists what to install and fails.
#   tools/system-packages.sh                      every program (npm test)
#   tools/system-packages.sh nginx prometheus     only these (a tool that starts only them)
#   tools/system-packages.sh --list               the packages behind every program, one a line
#                                                 (jenkins/Dockerfile installs them; a test checks)
set -euo pipefail

declare -A PACKAGE_OF=(
  [nginx]=nginx
  [chromium]=chromium
  [prometheus]=prometheus
  [promtool]=prometheus
  [prometheus-node-exporter]=prometheus-node-exporter
  [prometheus-alertmanager]=prometheus-alertmanager
  [amtool]=prometheus-alertmanager
  # Groovy's launcher runs /usr/lib/jvm/default-java, which only default-jre-headless provides
  # (apt takes any Java already installed as enough for groovy itself).
  [groovy]="groovy default-jre-headless"
  [docker-registry]=docker-registry
  [docker-compose]=docker-compose
)

if [ "${1:-}" = --list ]; then
  # Unquoted on purpose: an entry may name several packages.
  # shellcheck disable=SC2068
  printf '%s\n' ${PACKAGE_OF[@]} | sort -u
  exit 0
fi

commands=("$@")
[ ${#commands[@]} -gt 0 ] || commands=("${!PACKAGE_OF[@]}")
missing=()
for command in "${commands[@]}"; do
  package=${PACKAGE_OF[$command]:-}
  if [ -z "$package" ]; then
    echo "system-packages: no Debian package is known for \"$command\"" >&2
    exit 2
  fi
  if ! PATH="$PATH:/usr/sbin:/sbin" command -v "$command" >/dev/null 2>&1; then
    read -ra packages <<<"$package"
    missing+=("${packages[@]}")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)

if [ "$(id -u)" -ne 0 ]; then
  echo "These Debian packages are needed and not installed:" >&2
  printf '  %s\n' "${missing[@]}" >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "Installing the Debian packages that are needed: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# The packages' own services are not wanted: the stack and the tests start these programs themselves.
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
for service in nginx prometheus prometheus-node-exporter prometheus-alertmanager docker-registry; do
  if command -v service >/dev/null && service "$service" status >/dev/null 2>&1; then service "$service" stop >/dev/null 2>&1 || true; fi
done
