#!/usr/bin/env bash
# Runs every test of podstack, unit and integration, against a real rootless Podman service.
#
#   scripts/test.sh            set up the test bed (scripts/testbed.sh up), build, run all tests
#
# The test bed is a private rootless Podman service with its own store and socket (see testbed.sh); it
# never touches a person's own containers. With CI=true an integration test that finds no test bed fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf 'test.sh: %s\n' "$*" >&2; }

started=$(date +%s)
log "setting up the rootless Podman test bed"
url=$(bash scripts/testbed.sh up | tail -n 1)
eval "$(bash scripts/testbed.sh env)"
export PODSTACK_TEST_URL="$url"
log "test bed at $PODSTACK_TEST_URL ($(($(date +%s) - started)) s)"

# Tests name what they make pstest-*; a run that was cut short (or a deferred clean-up that never ran
# because the test process ended first) leaves some behind. Clear them so runs do not pile up. The fault
# tests' private bed (scripts/testbed-faults.sh) is brought up first when an earlier run left one: its
# service may have been killed with everything of the test user, and `up` is what repairs that.
clear_leftovers() {  # clear_leftovers BED_SCRIPT
  "$@" podman pod ps --format '{{.Name}}' 2>/dev/null | grep '^pstest-' \
    | xargs -r "$@" podman pod rm -f -t 0 >/dev/null 2>&1 || true
  "$@" podman ps -a --format '{{.Names}}' 2>/dev/null | grep '^pstest-' \
    | xargs -r "$@" podman rm -f -t 0 >/dev/null 2>&1 || true
  "$@" podman volume ls --format '{{.Name}}' 2>/dev/null | grep '^pstest-' \
    | xargs -r "$@" podman volume rm -f >/dev/null 2>&1 || true
}
log "clearing leftovers of earlier test runs from the test bed"
clear_leftovers bash scripts/testbed.sh
faults_dir=${PODSTACK_FAULTS_DIR:-/var/tmp/podstack-testbed-faults}
if [ -d "$faults_dir/storage" ]; then
  log "clearing leftovers from the fault tests' bed ($faults_dir)"
  bash scripts/testbed-faults.sh up >/dev/null
  clear_leftovers bash scripts/testbed-faults.sh
fi

# The Kubernetes export is checked against the Kubernetes schema (KubeIntegrationTests).
if ! command -v kubernetes-validate >/dev/null 2>&1; then
  log "installing kubernetes-validate (PyPI) for the schema check of podstack kube"
  python3 -m pip install --quiet --disable-pip-version-check kubernetes-validate==1.37.0 >&2
fi

log "building"
if ! swift build --build-tests >/tmp/podstack-build.log 2>&1; then
  cat /tmp/podstack-build.log >&2
  log "build failed"
  exit 1
fi

log "running the tests"
set +e
swift test --skip-build 2>&1 | tee /tmp/podstack-test-output.txt
status=${PIPESTATUS[0]}
set -e

log "summary"
bash scripts/test-summary.sh /tmp/podstack-test-output.txt || true
# --- install test (issue 19): the .deb in a bare Debian 12 root, with apt; scripts/test-install.sh ---
log "install test: the .deb in a bare Debian 12 root"
set +e
bash scripts/test-install.sh
install_status=$?
set -e
if [ "$status" -eq 0 ]; then status=$install_status; fi
# --- end of the install test ---

log "finished in $(($(date +%s) - started)) s with status $status"
exit "$status"
