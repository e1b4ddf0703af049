#!/bin/sh
# Keeps nginx's upstream equal to the function replicas that exist now. Open-source nginx 1.22
# resolves `server NAME` only at start or reload, so replicas that come and go (Swarm moving
# them between nodes, a rolling update, scaling) would otherwise be missed or kept after they
# are gone. This writes one `server IP:PORT` line per address of UPSTREAM_NAME (compose's DNS,
# and Swarm's with endpoint_mode dnsrr, answer one A record per replica) into the file that
# UPSTREAM_SERVERS includes, then re-resolves every UPSTREAM_REFRESH seconds and reloads nginx
# when the set changes. A reload lets requests in flight finish on the old workers.
#
# Why not `resolver` with a variable in proxy_pass: nginx then re-resolves per request, but the
# upstream loses keepalive connections and its per-server failure counts (max_fails).
#
# Run by the image's entrypoint before nginx starts: the first list is written synchronously,
# then the watch goes on in the background. Unset UPSTREAM_NAME to leave UPSTREAM_SERVERS alone.
set -eu
[ -n "${UPSTREAM_NAME:-}" ] || exit 0
port=${UPSTREAM_PORT:-8080}
every=${UPSTREAM_REFRESH:-1}
dir=/tmp/upstream
file=$dir/servers.conf
mkdir -p "$dir"

# The server lines for the addresses the name has now, sorted so that the same set gives the
# same text; nothing when the name does not resolve.
servers() {
  getent ahostsv4 "$UPSTREAM_NAME" 2>/dev/null | awk '{ print $1 }' | sort -u |
    while read -r address; do
      printf 'server %s:%s max_fails=3 fail_timeout=5s;\n' "$address" "$port"
    done
}

# Writes the list when it differs from the file; exit status 0 when it did.
update() {
  list=$(servers)
  # No answer (no replica yet, or DNS briefly unreachable) keeps what nginx has.
  [ -n "$list" ] || return 1
  [ "$list" != "$(cat "$file" 2>/dev/null)" ] || return 1
  printf '%s\n' "$list" >"$file.new"
  mv "$file.new" "$file"
  echo "upstream-watch: $UPSTREAM_NAME has $(printf '%s\n' "$list" | wc -l) replica(s)" >&2
}

# nginx refuses an upstream without servers: until a replica resolves, one placeholder marked
# down makes /api/ answer the JSON 503 (no replica available).
update || [ -s "$file" ] || echo 'server 127.0.0.1:9 down;' >"$file"

(
  while sleep "$every"; do
    if update; then nginx -s reload 2>/dev/null || true; fi
  done
) </dev/null &
