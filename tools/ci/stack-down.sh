#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Tears down the compose project a CI stage started: saves its containers' logs into reports/,
# then removes its containers, networks and volumes. Safe to run twice: the stage script's trap
# and the stage's `post { always }` both call it, the second for when Jenkins killed the first.
#
# Environment: COMPOSE_PROJECT_NAME (required: the stage's own project, never the deployed one).
# Run from the repository root.
set -euo pipefail
source "$(dirname "$0")/lib/compose.sh"

: "${COMPOSE_PROJECT_NAME:?COMPOSE_PROJECT_NAME (the compose project of the stage) is not set}"
without_grafana

if [ -n "$(compose --profile loadtest ps -q 2>/dev/null || true)" ]; then
  mkdir -p reports
  compose --profile loadtest logs --no-color >"reports/$COMPOSE_PROJECT_NAME.log" 2>&1 || true
fi
compose --profile loadtest down -v --remove-orphans
