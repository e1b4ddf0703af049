#!/usr/bin/env bash
# Makes sure the Debian packages the tests drive for real are installed: nginx, Chromium,
# Prometheus (with promtool), node-exporter and Alertmanager. As root it installs what is
# missing with apt-get; otherwise it lists what to install and fails.
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

missing=()
for command in "${!PACKAGE_OF[@]}"; do
  if ! PATH="$PATH:/usr/sbin:/sbin" command -v "$command" >/dev/null 2>&1; then
    missing+=("${PACKAGE_OF[$command]}")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)

if [ "$(id -u)" -ne 0 ]; then
  echo "The tests need these Debian packages, which are not installed:" >&2
  printf '  %s\n' "${missing[@]}" >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "Installing Debian packages the tests need: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# The packages' own services are not wanted: the tests start these programs themselves.
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
for service in nginx prometheus prometheus-node-exporter prometheus-alertmanager; do
  if command -v service >/dev/null && service "$service" status >/dev/null 2>&1; then service "$service" stop >/dev/null 2>&1 || true; fi
done
