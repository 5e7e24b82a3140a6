#!/usr/bin/env bash
# podstack's measured speed, side by side with its peers, in one run on one machine (issue 7):
#   1. client: `_ping` per second, podstack's client vs a C libcurl loop vs podman-py (scripts/bench-client.sh)
#   2. orchestration: cold up, no-op up and down of 8 stand-in services, podstack vs podman-compose 1.6.0
#   3. health-gated start: podstack's time to all-ready vs the critical path; what podman-compose does
#   4. preflight vs `ss -tlnp` with 2,000 listening sockets in 200 processes
# Sets up the test bed itself (scripts/testbed.sh up), installs the peers into their own venv, alternates
# the contenders, prints medians and ratios, and writes docs/benchmarks.md (then prints it). Takes about
# 5 minutes on 2 cores; removes every pod, container, network and process it made, also on failure.
#
#   scripts/bench.sh            (env: PODSTACK_BENCH_ROUNDS=7, PODSTACK_BENCH_HEALTH_ROUNDS=5,
#                                PODSTACK_BENCH_PREFLIGHT_ROUNDS=11, PODSTACK_BENCH_CLIENT_COUNT=10000,
#                                PODSTACK_BENCH_CLIENT_ROUNDS=15, PODSTACK_BENCH_PODMAN=4)
#
# PODSTACK_BENCH_PODMAN=5 runs the same comparisons on the Podman 5.4 test bed (scripts/testbed5.sh, root
# only) and writes docs/benchmarks-podman5.md instead.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/bench/lib.sh"

ROUNDS=${PODSTACK_BENCH_ROUNDS:-7}
HEALTH_ROUNDS=${PODSTACK_BENCH_HEALTH_ROUNDS:-5}
PREFLIGHT_ROUNDS=${PODSTACK_BENCH_PREFLIGHT_ROUNDS:-11}
# 10,000 pings a measurement: with 3,000, a concurrent run lasted 0.1 s, and one scheduling hiccup of this
# shared machine moved a round by a tenth.
CLIENT_COUNT=${PODSTACK_BENCH_CLIENT_COUNT:-10000}
# Fifteen rounds for the client: one pair of runs moved between 0.81 and 1.05 of each other within
# minutes, and in a full run with nine rounds single rounds of the pair went from 0.65 to 1.04.
CLIENT_ROUNDS=${PODSTACK_BENCH_CLIENT_ROUNDS:-15}
COMPOSE=$ROOT/scripts/bench/compose
CRITICAL_PATH=8 # db 4 s -> api 2 s -> worker 2 s in compose/health/psbench-health.yml
HOLD_PORT=18499 # compose/preflight/psbench-preflight.yml

STARTED=$(bench_now)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
WORK=$(mktemp -d /tmp/podstack-bench.XXXXXX)
RESULTS=$WORK/results.jsonl
LOG=$WORK/commands.log
HOLDERS_PID=
: >"$RESULTS"

case "${PODSTACK_BENCH_PODMAN:-4}" in
  4) TESTBED=$ROOT/scripts/testbed.sh REPORT=$ROOT/docs/benchmarks.md ;;
  5) TESTBED=$ROOT/scripts/testbed5.sh REPORT=$ROOT/docs/benchmarks-podman5.md ;;
  *) bench_die "PODSTACK_BENCH_PODMAN must be 4 or 5" ;;
esac
export PODSTACK_TESTBED_PODMAN=${PODSTACK_BENCH_PODMAN:-4}
tb() { "$TESTBED" "$@"; }

# ------------------------------------------------------------------------------------------------
# Set-up: test bed, builds, peers, and the environment each tool runs in.

bench_log "starting the test bed ($(basename "$TESTBED") up)"
URL=$(tb up | tail -n 1)
case "$URL" in unix://*) ;; *) bench_die "testbed.sh up printed no socket URL (got '$URL')" ;; esac
bench_build
bench_venv
PODSTACK=$BENCH_BIN/podstack
PODMAN_COMPOSE=$BENCH_VENV/bin/podman-compose
PODMAN_VERSION=$(tb podman version --format '{{.Server.Version}}' 2>/dev/null || echo unknown)

mkdir -p "$WORK/bin" "$WORK/data" "$WORK/run"
chmod 700 "$WORK/run"
# podman-compose runs the `podman` CLI; this one runs it against the test bed's private store and user.
cat >"$WORK/bin/podman" <<EOF
#!/bin/sh
[ -n "\${PODSTACK_BENCH_CALL_LOG:-}" ] && printf '%s\n' "\$*" >>"\$PODSTACK_BENCH_CALL_LOG"
exec "$TESTBED" podman "\$@"
EOF
chmod +x "$WORK/bin/podman"

podstack() {
  env CONTAINER_HOST="$URL" XDG_RUNTIME_DIR="$WORK/run" PODSTACK_DATA_DIR="$WORK/data" "$PODSTACK" "$@"
}
compose() { # compose FILE ARGS...
  local file=$1
  shift
  (cd "$(dirname "$file")" && PATH="$WORK/bin:$PATH" "$PODMAN_COMPOSE" -f "$file" "$@")
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$HOLDERS_PID" ]; then
    kill "$HOLDERS_PID" 2>/dev/null || true
    wait "$HOLDERS_PID" 2>/dev/null || true
  fi
  for name in orchestration:orch health:health; do
    podstack down --compose-dir "$COMPOSE/${name%%:*}" >>"$LOG" 2>&1 || true
    compose "$COMPOSE/${name%%:*}/psbench-${name##*:}.yml" down >>"$LOG" 2>&1 || true
  done
  tb podman pod rm -f psbench-orch pod_psbench-orch psbench-health pod_psbench-health >>"$LOG" 2>&1 || true
  tb podman network rm -f psbench-orch_default psbench-health_default >>"$LOG" 2>&1 || true
  local left
  left=$(tb podman ps -a --format '{{.Names}}' 2>/dev/null | grep -c '^psbench-' || true)
  [ "$left" = 0 ] || bench_log "warning: $left psbench container(s) left behind; see $LOG"
  if [ "$status" = 0 ]; then rm -rf "$WORK"; else bench_log "failed; kept $WORK (commands.log, results.jsonl)"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# timed EXPECTED_EXIT CMD...: runs CMD (output to the log), sets ELAPSED in seconds; dies on another exit.
timed() {
  local expected=$1 t0 t1 status=0
  shift
  printf '\n$ %s\n' "$*" >>"$LOG"
  t0=$(bench_now)
  "$@" >>"$LOG" 2>&1 || status=$?
  t1=$(bench_now)
  if [ "$status" != "$expected" ]; then
    tail -n 25 "$LOG" >&2
    bench_die "exit $status (expected $expected): $*"
  fi
  ELAPSED=$(bench_elapsed "$t0" "$t1")
}

# running PREFIX: how many running containers of the test bed have names starting with PREFIX
running() { tb podman ps --format '{{.Names}}' | grep -c "^$1" || true; }

# ------------------------------------------------------------------------------------------------
bench_log "1/4 client"
"$ROOT/scripts/bench-client.sh" --no-build --url "$URL" --rounds "$CLIENT_ROUNDS" --count "$CLIENT_COUNT" \
  --results "$RESULTS" >/dev/null

# ------------------------------------------------------------------------------------------------
bench_log "2/4 orchestration: 8 services, $ROUNDS rounds"
ORCH=$COMPOSE/orchestration/psbench-orch.yml
cleanup_orch() {
  podstack down --compose-dir "$COMPOSE/orchestration" >>"$LOG" 2>&1 || true
  compose "$ORCH" down >>"$LOG" 2>&1 || true
}
cleanup_orch
for round in $(seq 1 "$ROUNDS"); do
  order=(podstack podman-compose)
  [ $((round % 2)) = 0 ] && order=(podman-compose podstack)
  for contender in "${order[@]}"; do
    if [ "$contender" = podstack ]; then
      up=(podstack up --compose-dir "$COMPOSE/orchestration") down=(podstack down --compose-dir "$COMPOSE/orchestration")
      prefix=psbench-orch-
    else
      up=(compose "$ORCH" up -d) down=(compose "$ORCH" down)
      prefix=psbench-orch_
    fi
    [ "$round" = 1 ] && [ "$contender" = podman-compose ] && export PODSTACK_BENCH_CALL_LOG=$WORK/calls-cold
    timed 0 "${up[@]}"
    record "$RESULTS" orchestration cold-up "$contender" "$round" "$ELAPSED" s
    unset PODSTACK_BENCH_CALL_LOG
    n=$(running "$prefix")
    [ "$n" = 8 ] || bench_die "$contender: $n of 8 containers running after up"
    [ "$round" = 1 ] && [ "$contender" = podman-compose ] && export PODSTACK_BENCH_CALL_LOG=$WORK/calls-noop
    timed 0 "${up[@]}"
    record "$RESULTS" orchestration noop-up "$contender" "$round" "$ELAPSED" s
    unset PODSTACK_BENCH_CALL_LOG
    [ "$round" = 1 ] && [ "$contender" = podman-compose ] && export PODSTACK_BENCH_CALL_LOG=$WORK/calls-down
    timed 0 "${down[@]}"
    record "$RESULTS" orchestration down "$contender" "$round" "$ELAPSED" s
    unset PODSTACK_BENCH_CALL_LOG
    n=$(tb podman ps -a --format '{{.Names}}' | grep -c "^$prefix" || true)
    [ "$n" = 0 ] || bench_die "$contender: $n containers left after down"
    bench_log "round $round $contender done"
  done
done
# What podman-compose pays for going through the podman CLI via the test bed's wrapper. On the Podman 5 bed
# "direct" is still the host's podman 4.3 binary: the one inside the Debian 13 root runs only after entering it.
median_ms() { sort -n | awk '{ v[NR] = $1 } END { printf "%.0f", v[int((NR + 1) / 2)] * 1000 }'; }
wrapped=() direct=()
for _ in 1 2 3 4 5 6 7; do
  t0=$(bench_now); "$WORK/bin/podman" --version >/dev/null; t1=$(bench_now)
  wrapped+=("$(bench_elapsed "$t0" "$t1")")
  t0=$(bench_now); podman --version >/dev/null; t1=$(bench_now)
  direct+=("$(bench_elapsed "$t0" "$t1")")
done
wrapped_ms=$(printf '%s\n' "${wrapped[@]}" | median_ms)
direct_ms=$(printf '%s\n' "${direct[@]}" | median_ms)
note "$RESULTS" orchestration "podman-compose ran $(wc -l <"$WORK/calls-cold") podman commands for a cold up, $(wc -l <"$WORK/calls-noop") for a no-op up and $(wc -l <"$WORK/calls-down") for a down; each went through the test bed's wrapper (\`scripts/testbed.sh podman\`, which switches to the test bed's user), which adds about $((wrapped_ms - direct_ms)) ms a call (\`podman --version\`: ${wrapped_ms} ms through it, ${direct_ms} ms direct, medians of 7), so about $(( (wrapped_ms - direct_ms) * $(wc -l <"$WORK/calls-cold") )) ms of its cold up and $(( (wrapped_ms - direct_ms) * $(wc -l <"$WORK/calls-noop") )) ms of its no-op up are the test bed's, not podman-compose's. podstack makes REST calls on the same service directly."
note "$RESULTS" orchestration "podman-compose's default in-pod mode makes \`pod_<project>\` without an infra container (\`--infra=false --share=\`) and puts each container on a project bridge network with its own published ports; podstack makes one pod with an infra container that holds the ports and the shared network namespace. The compose file is the same; the distinct internal ports let both layouts run it."

# ------------------------------------------------------------------------------------------------
bench_log "3/4 health-gated start: $HEALTH_ROUNDS rounds (critical path ${CRITICAL_PATH} s)"
HEALTH=$COMPOSE/health/psbench-health.yml
podstack down --compose-dir "$COMPOSE/health" >>"$LOG" 2>&1 || true
compose "$HEALTH" down >>"$LOG" 2>&1 || true
for round in $(seq 1 "$HEALTH_ROUNDS"); do
  # podstack up returns only once every service is healthy (or fails), so its wall time is time-to-ready.
  timed 0 podstack up --compose-dir "$COMPOSE/health" --json
  record "$RESULTS" health all-ready podstack "$round" "$ELAPSED" s
  record "$RESULTS" health all-ready critical-path "$round" "$CRITICAL_PATH" s
  timed 0 podstack down --compose-dir "$COMPOSE/health"
done
# podman-compose on Podman 5 honours service_healthy by waiting for a health status that nothing updates
# without systemd's timers, so its `up -d` never returns there (seen: over 5 minutes): bounded, and said.
COMPOSE_HEALTH_LIMIT=${PODSTACK_BENCH_COMPOSE_HEALTH_LIMIT:-120}
compose_hung=0
for round in 1 2; do
  printf '\n$ timeout %s podman-compose -f %s up -d\n' "$COMPOSE_HEALTH_LIMIT" "$HEALTH" >>"$LOG"
  t0=$(bench_now)
  status=0
  (cd "$(dirname "$HEALTH")" && PATH="$WORK/bin:$PATH" timeout "$COMPOSE_HEALTH_LIMIT" "$PODMAN_COMPOSE" -f "$HEALTH" up -d) \
    >>"$LOG" 2>&1 || status=$?
  ELAPSED=$(bench_elapsed "$t0" "$(bench_now)")
  if [ "$status" = 124 ]; then
    compose_hung=1
    compose "$HEALTH" down >>"$LOG" 2>&1 || true
    break
  fi
  [ "$status" = 0 ] || bench_die "podman-compose up -d of the health-gated stack exited $status"
  record "$RESULTS" health all-ready podman-compose "$round" "$ELAPSED" s
  returned=$ELAPSED
  # Right after it returns: which services run, and which pass their check now.
  healthy=0
  for service in db cache api worker web; do
    (if tb podman healthcheck run "psbench-health_${service}_1" >/dev/null 2>&1; then echo healthy; else echo not; fi \
      >"$WORK/hc-$service") &
  done
  wait
  healthy=$(cat "$WORK"/hc-* | grep -c '^healthy$' || true)
  up_now=$(running psbench-health_)
  ignored=$(grep -c "Ignored .* condition check" "$LOG" || true)
  timed 0 compose "$HEALTH" down
done
if [ "$compose_hung" = 1 ]; then
  note "$RESULTS" health "podman-compose $PODMAN_COMPOSE_VERSION on Podman $PODMAN_VERSION: \`up -d\` did not return within $COMPOSE_HEALTH_LIMIT s: it waits for health checks that nothing runs without systemd, so it has no figure here."
else
  note "$RESULTS" health "podman-compose $PODMAN_COMPOSE_VERSION on Podman $PODMAN_VERSION: \`up -d\` returned after $(printf '%.2f' "$returned") s (last round) with ${up_now} of 5 services running and ${healthy} of 5 passing their health check at that moment; its log said \"Ignored ... condition check due to podman ... doesn't support healthy!\" ${ignored} times in all rounds, so it started every dependent at once, before its dependency was healthy. Its figure is the time to return, not to readiness."
fi
note "$RESULTS" health "podstack's figure is the wall time of \`podstack up\`, which returns when every service's health check passes (podstack runs the checks itself through the API). Critical path: the longest chain of STANDIN_READY_DELAYs, db 4 s -> api 2 s -> worker 2 s; container creation and start, and health probing, are podstack's overhead over it."

# ------------------------------------------------------------------------------------------------
bench_log "4/4 preflight vs ss -tlnp: 2,000 sockets in 200 processes, $PREFLIGHT_ROUNDS rounds"
python3 "$ROOT/scripts/bench/socket_holders.py" 200 10 "$HOLD_PORT" "$WORK/holders-ready" &
HOLDERS_PID=$!
for _ in $(seq 1 600); do [ -s "$WORK/holders-ready" ] && break; sleep 0.1; done
[ -s "$WORK/holders-ready" ] || bench_die "the socket holders did not come up"
listening=$(ss -tlnH | wc -l)
podstack preflight --compose-dir "$COMPOSE/preflight" >"$WORK/preflight.txt" 2>&1 || true
grep -q "python" "$WORK/preflight.txt" || bench_log "warning: preflight did not name the python holder: $(cat "$WORK/preflight.txt")"
grep -q "$HOLD_PORT" "$WORK/preflight.txt" || { cat "$WORK/preflight.txt" >&2; bench_die "preflight did not report port $HOLD_PORT"; }
ss -tlnp >/dev/null
for round in $(seq 1 "$PREFLIGHT_ROUNDS"); do
  run_pf() { timed 3 podstack preflight --compose-dir "$COMPOSE/preflight"; record "$RESULTS" preflight held-port podstack-preflight "$round" "$ELAPSED" s; }
  # Host only: no Podman reachable, so no question to it (podstack warns and checks the host alone).
  run_host() {
    timed 3 env CONTAINER_HOST="unix://$WORK/no-podman.sock" "$PODSTACK" preflight --compose-dir "$COMPOSE/preflight"
    record "$RESULTS" preflight held-port podstack-preflight-host-only "$round" "$ELAPSED" s
  }
  run_ss() { timed 0 ss -tlnp; record "$RESULTS" preflight held-port ss-tlnp "$round" "$ELAPSED" s; }
  if [ $((round % 2)) = 1 ]; then run_pf; run_host; run_ss; else run_ss; run_host; run_pf; fi
done
kill "$HOLDERS_PID"
wait "$HOLDERS_PID" 2>/dev/null || true
HOLDERS_PID=
note "$RESULTS" preflight "$listening TCP listeners on the host during the runs (the bench's 2,001 plus the machine's own). Both tools run as root, as the bench does; \`podstack preflight\` exits 3 and names the holder of 127.0.0.1:$HOLD_PORT each time. \`podstack-preflight\` is the command as a user runs it: it starts, loads the compose file and checks the host; it would connect to Podman only if the holder could be one of Podman's forwarders or containers, and this one is a named process (python3), so it does not. \`podstack-preflight-host-only\` is the same with no Podman reachable (it warns and checks the host alone). \`ss -tlnp\` only lists."

# ------------------------------------------------------------------------------------------------
WALL=$(bench_elapsed "$STARTED" "$(bench_now)")
cat >"$WORK/appendix.md" <<EOF
## How it was measured

- Client: \`podstack-bench ping\` (Sources/podstack-bench, PodmanAPI's \`PodmanClient.ping()\` from a task
  group on the client's own executor, as \`up\` and \`down\` run), \`scripts/bench/raw_ping.c\` (one reused libcurl easy handle per pthread) and
  \`scripts/bench/podman_py_ping.py\` (podman-py $PODMAN_PY_VERSION, one client shared by the threads);
  $CLIENT_COUNT pings per measurement (a fifth of that for podman-py) after 20 warm-up pings per caller,
  over the same socket; in each round podstack and raw libcurl run back to back (which one first
  alternates), then podman-py.
- Orchestration and health: \`podstack up|down --compose-dir\` (release build) and
  \`podman-compose -f FILE up -d|down\` ($PODMAN_COMPOSE_VERSION) on the same files in
  \`scripts/bench/compose/\`, wall time of each command; the order of the two tools alternates by round,
  and each round starts from nothing and ends with everything removed.
- Preflight: \`podstack preflight --compose-dir scripts/bench/compose/preflight\` against \`ss -tlnp\`,
  alternating, while \`scripts/bench/socket_holders.py\` holds the sockets.
- The machine is shared with other work (see the load average above), so single rounds vary; medians
  and the min–max range are given.
EOF
python3 "$ROOT/scripts/bench/report.py" --results "$RESULTS" --text
python3 "$ROOT/scripts/bench/report.py" --results "$RESULTS" --markdown "$REPORT" \
  --podman-version "$PODMAN_VERSION" --load-before "$LOAD_BEFORE" --wall-seconds "$WALL" --appendix "$WORK/appendix.md"
cp "$RESULTS" /tmp/podstack-bench-last.jsonl
echo
cat "$REPORT"
