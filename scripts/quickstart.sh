#!/usr/bin/env bash
# From a fresh clone to the whole stack running, in one command:
#   1. a rootless Podman service (scripts/testbed.sh: a private one, with the stand-in images), unless
#      you pass --my-podman to use your own user's service and the real images;
#   2. build podstack;
#   3. podstack up (preflight first), then podstack ps.
# Take it down again with the command it prints at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

use_own_podman=false
[ "${1:-}" = "--my-podman" ] && use_own_podman=true

args=()
if ! $use_own_podman; then
  url=$(bash scripts/testbed.sh up | tail -n 1)
  eval "$(bash scripts/testbed.sh env)"
  export CONTAINER_HOST="$url"
  # The stand-in images answer the same health checks as the real ones; no registry is needed.
  args+=(--env-file compose/standins.env)
  # Data must be reachable by the service's user; as root, keep it beside the test bed.
  if [ "$(id -u)" -eq 0 ]; then
    export PODSTACK_DATA_DIR="${PODSTACK_DATA_DIR:-$PODSTACK_TESTBED_DIR/stack-data}"
    mkdir -p "$PODSTACK_DATA_DIR" && chmod 755 "$PODSTACK_DATA_DIR"
  fi
fi

echo "quickstart: building podstack" >&2
swift build --product podstack >/tmp/podstack-quickstart-build.log 2>&1 || { cat /tmp/podstack-quickstart-build.log >&2; exit 1; }
podstack=.build/debug/podstack

"$podstack" up "${args[@]}"
echo
"$podstack" ps "${args[@]}"
echo
echo "quickstart: the stack is up. ollama answers: $(curl -s "http://127.0.0.1:${OLLAMA_PORT:-11434}/api/tags" || echo '(no answer)')"
echo "quickstart: take it down with: CONTAINER_HOST=${CONTAINER_HOST:-} PODSTACK_DATA_DIR=${PODSTACK_DATA_DIR:-} $podstack down ${args[*]}"
