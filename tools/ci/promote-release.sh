#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Promote stage (develop): pushes the commit that just passed every test on develop to the branch
# release/<version>, <version> being package.json's. That branch's own build then waits for user
# acceptance. Refuses when v<version> is already released (bump the version on develop first).
# A release branch that has moved on (fixes made on it) is not overwritten: git refuses the push.
#
# Environment: GIT_USERNAME/GIT_PASSWORD (Jenkins credential 'git-push', for HTTPS remotes).
# Run from the repository root, a clone whose remote `origin` is the repository.
set -euo pipefail
source "$(dirname "$0")/lib/release.sh"

version=$(release_version)
prepare_git_push

# ls-remote --exit-code: 0 when the tag exists, 2 when it does not, anything else is an error.
status=0
git ls-remote --exit-code --tags origin "refs/tags/v$version" >/dev/null || status=$?
case $status in
  0)
    echo "promote: v$version is already released; bump \"version\" in package.json on develop" >&2
    exit 1
    ;;
  2) ;;
  *)
    echo "promote: cannot read the tags of origin (git exited with $status)" >&2
    exit "$status"
    ;;
esac
git push origin "HEAD:refs/heads/release/$version"
echo "promote: $(git rev-parse --short HEAD) is now release/$version"
