# shellcheck shell=bash
# Sourced by the CI stage scripts that release: the version, and git set up to push.

# The release version: package.json's "version", which must be semantic (it names branches and tags).
release_version() {
  local version
  version=$(node -p 'require("./package.json").version')
  if [[ ! $version =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
    echo "package.json version '$version' is not a semantic version" >&2
    return 1
  fi
  printf '%s\n' "$version"
}

# Lets git push over HTTPS with the token Jenkins binds to GIT_USERNAME/GIT_PASSWORD (answered by
# git-askpass.sh, so the token never appears in a URL, the git config or the log), and gives the
# merge commit and tag an author when the agent has no git identity.
prepare_git_push() {
  if [ -n "${GIT_PASSWORD:-}" ]; then
    GIT_ASKPASS="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/git-askpass.sh"
    export GIT_ASKPASS GIT_TERMINAL_PROMPT=0
  fi
  if [ -z "$(git config user.email || true)" ]; then
    export GIT_AUTHOR_NAME="${GIT_AUTHOR_NAME:-Jenkins}" GIT_AUTHOR_EMAIL="${GIT_AUTHOR_EMAIL:-jenkins@localhost}"
    export GIT_COMMITTER_NAME="${GIT_COMMITTER_NAME:-Jenkins}" GIT_COMMITTER_EMAIL="${GIT_COMMITTER_EMAIL:-jenkins@localhost}"
  fi
}
