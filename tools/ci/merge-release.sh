#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Merge to master stage (release/*, after user acceptance): merges the accepted release commit
# into master with a merge commit, tags it v<version> and pushes both in one atomic push. The
# branch must be release/<package.json version>. A conflict fails the stage: master has moved in
# a way a person must look at.
#
# Environment: BRANCH_NAME (set by Jenkins), GIT_USERNAME/GIT_PASSWORD (credential 'git-push').
# Run from the repository root, a clone whose remote `origin` is the repository.
set -euo pipefail
source "$(dirname "$0")/lib/release.sh"

: "${BRANCH_NAME:?BRANCH_NAME (the release branch) is not set}"
version=$(release_version)
if [ "$BRANCH_NAME" != "release/$version" ]; then
  echo "merge: branch $BRANCH_NAME does not match package.json's version ($version)" >&2
  exit 1
fi
prepare_git_push

release_commit=$(git rev-parse HEAD)
git fetch --no-tags origin "+refs/heads/master:refs/remotes/origin/master"
git checkout -B master refs/remotes/origin/master
git merge --no-ff -m "Merge $BRANCH_NAME into master (release $version)" "$release_commit"
git tag -a "v$version" -m "Release $version"
git push --atomic origin master "refs/tags/v$version"
echo "merge: master is now $(git rev-parse --short HEAD), tagged v$version"
