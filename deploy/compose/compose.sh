#!/usr/bin/env bash
# Runs Docker Compose v2 (`docker compose`) when present, else docker-compose 1.29.
# Sourced by the other scripts; also usable directly: deploy/compose/compose.sh ps
set -euo pipefail
if docker compose version >/dev/null 2>&1; then
  compose() { docker compose "$@"; }
else
  compose() { docker-compose "$@"; }
fi
if [ "${BASH_SOURCE[0]}" = "$0" ]; then compose "$@"; fi
