#!/usr/bin/env bash
# The Podman 5.4.2 test bed: scripts/testbed.sh with PODSTACK_TESTBED_PODMAN=5, a state dir and a registry
# port of its own, so it runs beside the Podman 4.3 bed. Root only (debootstrap, mount namespaces).
#
#   scripts/testbed5.sh up|down|env|status|podman ARGS...    as scripts/testbed.sh
#
# Overrides: PODSTACK_TESTBED5_DIR (default /var/tmp/podstack-testbed5), PODSTACK_TESTBED5_REGISTRY_PORT
# (5059), PODSTACK_PODMAN5_ROOTFS (the cached Debian 13 root, default /var/tmp/podstack-podman5-rootfs).
set -euo pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export PODSTACK_TESTBED_PODMAN=5
export PODSTACK_TESTBED_DIR=${PODSTACK_TESTBED5_DIR:-/var/tmp/podstack-testbed5}
# The 4.3 bed's port variable is not this bed's; the port chosen at `up` sticks to the state dir.
if [ -n "${PODSTACK_TESTBED5_REGISTRY_PORT:-}" ]; then
  export PODSTACK_TESTBED_REGISTRY_PORT=$PODSTACK_TESTBED5_REGISTRY_PORT
elif [ -f "$PODSTACK_TESTBED_DIR/registry.port" ]; then
  unset PODSTACK_TESTBED_REGISTRY_PORT
else
  export PODSTACK_TESTBED_REGISTRY_PORT=5059
fi
exec bash "$SCRIPT_DIR/testbed.sh" "$@"
