# shellcheck shell=bash
# Sourced by the CI stage scripts: `compose` from deploy/compose/compose.sh (Docker Compose v2 when the
# Docker CLI has it, else docker-compose 1.29), and what CI stages add to it.
# shellcheck source=deploy/compose/compose.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../../deploy/compose/compose.sh"

# compose.yaml refuses to interpolate without GRAFANA_ADMIN_PASSWORD (it has no default), even
# for commands that never start Grafana. Stages that build or test without Grafana call this;
# the deploy stage gets the real password from a Jenkins credential instead.
without_grafana() {
  export GRAFANA_ADMIN_PASSWORD="${GRAFANA_ADMIN_PASSWORD:-not-used-by-this-stage}"
}
