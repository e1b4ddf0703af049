#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Stress (k6) stage: builds the images, starts the proxy and the function replicas in a compose
# project of the stage's own, runs compose's `loadtest` profile (grafana/k6 running tools/load/k6.js
# against http://proxy:8080, summary in reports/k6-summary.json) and fails when k6 fails: k6 exits
# non-zero (99) when a threshold is crossed. The stack is always torn down, volumes included.
#
# Environment: COMPOSE_PROJECT_NAME (toxicity-stress), K6_SCENARIO (seed), IMAGE_TAG (ci),
# PROXY_PORT (127.0.0.1:18080: published on loopback only, clear of a deployed stack on 8080),
# RATE_LIMIT / RATE_BURST (no per-client limit: the load comes from one address).
# Run from the repository root.
set -euo pipefail
ci_dir=$(dirname "$0")
source "$ci_dir/lib/compose.sh"

export COMPOSE_PROJECT_NAME="${COMPOSE_PROJECT_NAME:-toxicity-stress}"
export IMAGE_TAG="${IMAGE_TAG:-ci}"
export K6_SCENARIO="${K6_SCENARIO:-seed}"
export PROXY_PORT="${PROXY_PORT:-127.0.0.1:18080}"
# k6 sends every request from one address: the per-client rate limit would cap the ramp.
export RATE_LIMIT="${RATE_LIMIT:-100000r/s}" RATE_BURST="${RATE_BURST:-100000}"
without_grafana

# Keeps the stage's exit status even when the teardown fails (the stage's post step retries it).
trap 'status=$?; "$ci_dir/stack-down.sh" || echo "stress stage: teardown failed" >&2; exit $status' EXIT

mkdir -p reports
compose build functions proxy
# Starts the replicas first: the proxy waits for them to be healthy (depends_on condition).
compose up -d proxy
# k6 waits for a healthy proxy; it runs as the agent's user so it can write into reports/.
status=0
compose --profile loadtest run --rm --user "$(id -u):$(id -g)" k6 || status=$?
if [ "$status" -ne 0 ]; then
  echo "stress stage: k6 exited with $status (99: a threshold failed); see reports/k6-summary.json" >&2
  exit "$status"
fi
echo "stress stage: k6 thresholds held (reports/k6-summary.json)"
