#!/usr/bin/env bash
# A second, private test bed for the fault tests (Tests/IntegrationTests/FaultTests.swift), which kill
# its Podman service on purpose. The shared test bed (/var/tmp/podstack-testbed) is never touched.
#
#   scripts/testbed-faults.sh up      start it (idempotent; the first up builds the stand-ins, ~15 s);
#                                     last stdout line = socket URL
#   scripts/testbed-faults.sh kill    SIGKILL its Podman service (the whole process group); containers
#                                     (conmon) live on, as they do when a real service dies
#   scripts/testbed-faults.sh kill-all  SIGKILL the service, every conmon and container process and the
#                                     rootless pause process of this bed: what a session's end or a cgroup
#                                     kill does; Podman then needs `podman system migrate` (up does it)
#   scripts/testbed-faults.sh down    stop it (containers, service, registry)
#   scripts/testbed-faults.sh podman ARGS...   podman CLI on its store
#
# Overrides: PODSTACK_FAULTS_DIR (default /var/tmp/podstack-testbed-faults), PODSTACK_FAULTS_REGISTRY_PORT (5057).
# With PODSTACK_TESTBED_PODMAN=5 it is a Podman 5 bed (see testbed.sh), by default in
# /var/tmp/podstack-testbed5-faults with registry port 5061.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ "${PODSTACK_TESTBED_PODMAN:-4}" = 5 ]; then default_dir=/var/tmp/podstack-testbed5-faults default_port=5061
else default_dir=/var/tmp/podstack-testbed-faults default_port=5057; fi
export PODSTACK_TESTBED_DIR=${PODSTACK_FAULTS_DIR:-$default_dir}
export PODSTACK_TESTBED_REGISTRY_PORT=${PODSTACK_FAULTS_REGISTRY_PORT:-$default_port}
case "${PODSTACK_TESTBED_DIR%/}" in
  /var/tmp/podstack-testbed | /var/tmp/podstack-testbed5) echo "testbed-faults: refusing the shared test bed" >&2; exit 2 ;;
esac

kill_service() {
  local pidfile=$PODSTACK_TESTBED_DIR/service.pid pgid _
  pgid=$(cat "$pidfile" 2>/dev/null || :)
  case "$pgid" in ''|*[!0-9]*) echo "testbed-faults: no service pid in $pidfile" >&2; return 1 ;; esac
  kill -KILL -- "-$pgid" 2>/dev/null || :
  # the socket file stays behind, as after a real crash; wait until nothing of the group runs
  for _ in $(seq 1 50); do
    ps -e -o pgid=,stat= | awk -v g="$pgid" '$1 == g && $2 !~ /^[ZX]/ { found = 1 } END { exit !found }' || return 0
    sleep 0.1
  done
  echo "testbed-faults: process group $pgid still runs after SIGKILL" >&2
  return 1
}

# Everything of this bed: the service, then each conmon (with its container's processes) and the pause
# process. Only processes whose command line or pid file ties them to this bed's directory are touched.
kill_everything() {
  kill_service || :
  local pid cmdline pause
  for pid in $(pgrep -x conmon || :); do
    cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || :)
    case "$cmdline" in
      *"$PODSTACK_TESTBED_DIR/"*)
        pkill -KILL -P "$pid" 2>/dev/null || :   # the container's init (runc's child of conmon)
        kill -KILL "$pid" 2>/dev/null || : ;;
    esac
  done
  pause=$(cat "$PODSTACK_TESTBED_DIR/run/libpod/tmp/pause.pid" 2>/dev/null || :)
  case "$pause" in ''|*[!0-9]*) ;; *) grep -q catatonit "/proc/$pause/cmdline" 2>/dev/null && kill -KILL "$pause" ;; esac
  return 0
}

# Foundation's Process (swift-corelibs) hands each child one end of a socketpair and reaps the child only
# when that socket closes; a daemon started from here would inherit it and the test would wait forever
# (FaultTests.serviceKilledDuringUp hung that way). Close everything but stdin/stdout/stderr first.
close_inherited_fds() {
  local fd
  for fd in /proc/$$/fd/*; do
    fd=${fd##*/}
    case "$fd" in ''|*[!0-9]*) continue ;; esac
    [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null || :
  done
}

case "${1:-}" in
  up) shift; close_inherited_fds; exec bash "$SCRIPT_DIR/testbed.sh" up "$@" ;;
  kill) kill_service ;;
  kill-all) kill_everything ;;
  down) shift; exec bash "$SCRIPT_DIR/testbed.sh" down "$@" ;;
  podman) shift; exec bash "$SCRIPT_DIR/testbed.sh" podman "$@" ;;
  *) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
