#!/usr/bin/env bash
# Runs every test of podstack: the unit tests once, then the integration tests against a real rootless
# Podman 4.3.1 (the host's, scripts/testbed.sh) and a real Podman 5.4.2 (scripts/testbed5.sh), one bed
# after the other. A failure on either fails the run; the summary says which Podman each result came from.
#
#   scripts/test.sh            set up both test beds, build, run all tests
#
# PODSTACK_TEST_PODMAN="4 5" chooses the beds (default both as root, else 4: the 5 bed needs root). Each bed,
# and the fault tests' bed beside it, takes its state dir and registry port from the variables its script
# reads (PODSTACK_TESTBED_DIR / _REGISTRY_PORT, PODSTACK_TESTBED5_DIR / _REGISTRY_PORT, and for the fault
# beds PODSTACK_FAULTS_DIR / _REGISTRY_PORT and PODSTACK_FAULTS5_DIR / _REGISTRY_PORT), so a run on beds of
# its own leaves the shared ones alone. With CI=true an integration test that finds no test bed fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf 'test.sh: %s\n' "$*" >&2; }

started=$(date +%s)
if [ -n "${PODSTACK_TEST_PODMAN:-}" ]; then
  versions=$PODSTACK_TEST_PODMAN
elif [ "$(id -u)" -eq 0 ]; then
  versions="4 5"
else
  versions=4
  log "not root: integration tests on Podman 4 only (the Podman 5 bed needs root for debootstrap and mounts)"
fi
LOGS=${PODSTACK_TEST_LOGS:-/tmp/podstack-test}

# The test bed script of Podman V (4: the host's 4.3; 5: 5.4 in a Debian 13 root) as a command line, which
# xargs can run too; `bed V ARGS...` runs it.
bed_command() { [ "$1" = 5 ] && echo "bash scripts/testbed5.sh" || echo "env PODSTACK_TESTBED_PODMAN=4 bash scripts/testbed.sh"; }
# shellcheck disable=SC2046
bed() { local v=$1; shift; $(bed_command "$v") "$@"; }

# The fault tests' bed for Podman $1: testbed-faults.sh reads these (FaultTests.swift the directory).
faults_env() {
  if [ "$1" = 5 ]; then
    export PODSTACK_TESTBED_PODMAN=5
    export PODSTACK_FAULTS_DIR=${PODSTACK_FAULTS5_DIR:-/var/tmp/podstack-testbed5-faults}
    export PODSTACK_FAULTS_REGISTRY_PORT=${PODSTACK_FAULTS5_REGISTRY_PORT:-5061}
  else
    export PODSTACK_TESTBED_PODMAN=4
    export PODSTACK_FAULTS_DIR=${PODSTACK_FAULTS_DIR:-/var/tmp/podstack-testbed-faults}
    export PODSTACK_FAULTS_REGISTRY_PORT=${PODSTACK_FAULTS_REGISTRY_PORT:-5057}
  fi
}

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

for v in $versions; do
  log "setting up the rootless Podman $v test bed"
  bed "$v" up >/dev/null
  log "clearing leftovers of earlier test runs from the Podman $v test bed"
  # shellcheck disable=SC2046
  clear_leftovers $(bed_command "$v")
  (
    faults_env "$v"
    if [ -d "$PODSTACK_FAULTS_DIR/storage" ]; then
      log "clearing leftovers from the fault tests' bed ($PODSTACK_FAULTS_DIR)"
      bash scripts/testbed-faults.sh up >/dev/null
      clear_leftovers bash scripts/testbed-faults.sh
    fi
  )
done
log "test beds ready ($(($(date +%s) - started)) s)"

# The Kubernetes export is checked against the Kubernetes schema (KubeIntegrationTests).
if ! command -v kubernetes-validate >/dev/null 2>&1; then
  log "installing kubernetes-validate (PyPI) for the schema check of podstack kube"
  python3 -m pip install --quiet --disable-pip-version-check kubernetes-validate==1.37.0 >&2
fi

rm -f "$LOGS"-*.reruns "$LOGS"-*.xml "$LOGS"-*-swift-testing.xml
log "building"
if ! swift build --build-tests >"$LOGS-build.log" 2>&1; then
  cat "$LOGS-build.log" >&2
  log "build failed"
  exit 1
fi

status=0
# The suites that build images (scripts/test.sh runs them apart, see below).
BUILD_SUITES='IntegrationTests\.(Build[A-Za-z]*|PullPolicyIntegrationTests|KubePushIntegrationTests)'
run_tests() {  # run_tests LABEL LOGFILE SWIFT-TEST-ARGS...
  local label=$1 logfile=$2 rc t0=$SECONDS
  shift 2
  log "running the $label"
  set +e
  swift test --skip-build --xunit-output "$logfile.xml" "$@" 2>&1 | tee "$logfile"
  rc=${PIPESTATUS[0]}
  set -e
  log "$label: status $rc after $((SECONDS - t0)) s"
  if [ "$rc" != 0 ] && [ "$label" != "unit tests" ]; then
    rerun_failed "$label" "$logfile" && rc=0
  fi
  [ "$rc" = 0 ] || status=1
}

# An integration test that failed in the full run is run once more, alone, and the run passes only if it
# passes then. Why: the full run starts every integration test at once on two cores, and a shared CI machine
# adds load of its own; a health probe or a stop that takes ten times its idle time under that load is not a
# fault of podstack (a CI run was lost to one exec that outlived its 10 s timeout). Each rerun is named in
# the log and the summary ("passed when run alone"), so a test that flakes is seen, not hidden. More than
# three failures is not load: nothing is rerun. Unit tests are never rerun.
rerun_failed() {  # rerun_failed LABEL LOGFILE
  local label=$1 logfile=$2 failed test all_passed=0
  # `--xunit-output X.xml` writes Swift Testing's results to X-swift-testing.xml.
  failed=$(python3 - "$logfile-swift-testing.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except (OSError, ET.ParseError):
    sys.exit(0)
names = set()
for case in root.iter("testcase"):
    if case.find("failure") is not None or case.find("error") is not None:
        names.add(case.get("classname", "") + "/" + case.get("name", "").split("(")[0])
print("\n".join(sorted(names)))
PY
)
  [ -n "$failed" ] || return 1
  if [ "$(printf '%s\n' "$failed" | wc -l)" -gt 3 ]; then
    log "$label: more than three tests failed; none is rerun"
    return 1
  fi
  while IFS= read -r test; do
    log "$label: rerunning $test alone"
    if swift test --skip-build --filter "^${test}\(" >"$logfile.rerun.txt" 2>&1; then
      echo "rerun: $test passed when run alone, after failing in the full run" | tee -a "$logfile.reruns"
    else
      cat "$logfile.rerun.txt"
      echo "rerun: $test failed again when run alone" | tee -a "$logfile.reruns"
      all_passed=1
    fi
  done <<<"$failed"
  return "$all_passed"
}

run_tests "unit tests" "$LOGS-unit.txt" --skip IntegrationTests
# One bed after the other. Both at once took 163 s instead of 121 + 86 s (2 cores, load average 25), but two
# tests failed: the suites share host-wide things (a listener placed in the cgroup system.slice/ollama.service
# by both, the host's ports) and the health and stop timings of a machine that is twice as busy.
for v in $versions; do
  (
    eval "$(bed "$v" env)"
    faults_env "$v"
    label="integration tests on Podman $(bed "$v" podman --version | awk '{ print $3 }')"
    run_tests "$label" "$LOGS-podman$v.txt" --filter IntegrationTests --skip "$BUILD_SUITES"
    # The image builds run after the rest, not beside it: a build holds Podman's image store, and while
    # builds ran next to everything else, `up`s of other tests waited on it past the 30 s request timeout
    # (a plain image list took 22 s beside three builds on the 4.3 bed).
    run_tests "$label (image builds)" "$LOGS-podman$v-builds.txt" --filter "$BUILD_SUITES"
    cat "$LOGS-podman$v-builds.txt" >>"$LOGS-podman$v.txt"
    if [ -f "$LOGS-podman$v-builds.txt.reruns" ]; then cat "$LOGS-podman$v-builds.txt.reruns" >>"$LOGS-podman$v.txt.reruns"; fi
    exit "$status"
  ) || status=1
done

log "summary"
bash scripts/test-summary.sh "$LOGS-unit.txt" "unit tests" || true
for v in $versions; do
  bash scripts/test-summary.sh "$LOGS-podman$v.txt" "integration tests on Podman $(bed "$v" podman --version | awk '{ print $3 }')" || true
  if [ -f "$LOGS-podman$v.txt.reruns" ]; then sed 's/^/  /' "$LOGS-podman$v.txt.reruns"; fi
done
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
