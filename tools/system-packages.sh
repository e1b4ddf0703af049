#!/usr/bin/env bash
# Makes sure the Debian packages behind the programs the stack and the tests run are installed:
# nginx, Chromium, Prometheus (with promtool), node-exporter and Alertmanager (with amtool).
# As root it installs what is missing with apt-get; otherwise it lists what to install and fails.
#   tools/system-packages.sh                      every program (npm test)
#   tools/system-packages.sh nginx prometheus     only these (a tool that starts only them)
set -euo pipefail

declare -A PACKAGE_OF=(
  [nginx]=nginx
  [chromium]=chromium
  [prometheus]=prometheus
  [promtool]=prometheus
  [prometheus-node-exporter]=prometheus-node-exporter
  [prometheus-alertmanager]=prometheus-alertmanager
  [amtool]=prometheus-alertmanager
)

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
    missing+=("$package")
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
for service in nginx prometheus prometheus-node-exporter prometheus-alertmanager; do
  if command -v service >/dev/null && service "$service" status >/dev/null 2>&1; then service "$service" stop >/dev/null 2>&1 || true; fi
done
