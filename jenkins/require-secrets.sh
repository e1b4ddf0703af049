#!/usr/bin/env bash
# Entry point of the controller image: refuses to start Jenkins without an admin password (there
# is no default one), warns about the secrets later stages need, then runs the given command
# (the image's jenkins.sh). Secrets are files in ${SECRETS:-/run/secrets}, as configuration-as-code
# reads them: jenkins/secrets/<NAME> on the host.
set -euo pipefail
dir="${SECRETS:-/run/secrets}"

admin="$dir/JENKINS_ADMIN_PASSWORD"
if [ ! -r "$admin" ] || [ -z "$(tr -d '[:space:]' <"$admin")" ]; then
  echo "jenkins: $admin is missing, empty or unreadable by uid $(id -u)." >&2
  echo "jenkins: write the admin password to jenkins/secrets/JENKINS_ADMIN_PASSWORD (readable by uid 1000)." >&2
  exit 1
fi
for name in GIT_TOKEN REGISTRY_PASSWORD GRAFANA_ADMIN_PASSWORD; do
  if [ ! -r "$dir/$name" ]; then
    echo "jenkins: no readable $dir/$name: the stages that use it will fail" >&2
  fi
done
exec "$@"
