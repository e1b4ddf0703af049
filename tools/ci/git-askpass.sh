#!/usr/bin/env bash
# GIT_ASKPASS helper (see lib/release.sh): git asks "Username for '<url>': ", then
# "Password for '<url>': "; the answers come from the variables Jenkins binds.
case "${1:-}" in
  Username*) printf '%s\n' "${GIT_USERNAME:?GIT_USERNAME is not set}" ;;
  *) printf '%s\n' "${GIT_PASSWORD:?GIT_PASSWORD is not set}" ;;
esac
