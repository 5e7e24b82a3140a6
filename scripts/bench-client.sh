#!/usr/bin/env bash
# Client benchmark: `_ping` requests per second over one Podman socket, sequential and with 8 concurrent
# callers, for podstack's client (podstack-bench), a C loop over one reused libcurl handle per thread
# (scripts/bench/raw_ping.c) and podman-py. The contenders alternate within each round (the order rotates
# from round to round); the summary gives medians and the ratios against the targets of issues 2 and 7
# (podstack >= 0.9 of raw libcurl, >= 4 x podman-py).
#
#   scripts/bench-client.sh [--url unix:///path] [--rounds N] [--count N] [--results FILE] [--no-build]
#
# Without --url it uses $CONTAINER_HOST, else starts the test bed (scripts/testbed.sh up).
# --results appends the raw measurements (JSON lines) to FILE for scripts/bench.sh's report.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/bench/lib.sh"

URL=${CONTAINER_HOST:-}
ROUNDS=5
COUNT=10000
RESULTS=
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --url) URL=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --count) COUNT=$2; shift 2 ;;
    --results) RESULTS=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) bench_die "unknown argument '$1' (see --help)" ;;
  esac
done

if [ -z "$URL" ]; then
  URL=$("$ROOT/scripts/testbed.sh" up | tail -n 1)
fi
SOCKET=$(socket_path "$URL")
[ -S "$SOCKET" ] || bench_die "no socket at $SOCKET"

[ "$BUILD" = 1 ] && bench_build
bench_venv
PODSTACK_BENCH=${PODSTACK_BENCH_BIN:-$BENCH_BIN/podstack-bench}
RAW_PING=$BENCH_BIN/raw_ping
if [ ! -x "$PODSTACK_BENCH" ] || [ ! -x "$RAW_PING" ]; then bench_die "binaries missing; run without --no-build"; fi

OWN_RESULTS=0
if [ -z "$RESULTS" ]; then
  RESULTS=$(mktemp /tmp/podstack-bench-client.XXXXXX)
  OWN_RESULTS=1
fi

# podman-py is six to twenty times slower: a fifth of the pings still lasts longer than the others' runs,
# and the time saved buys more rounds of the pair whose ratio the machine's noise moves most.
PY_COUNT=$(( COUNT / 5 > 100 ? COUNT / 5 : COUNT ))

# run CONTENDER CONCURRENCY: one measurement, printed as the rate
run() {
  local out
  case "$1" in
    podstack) out=$("$PODSTACK_BENCH" ping --socket "$SOCKET" --count "$COUNT" --concurrency "$2") ;;
    raw-libcurl) out=$("$RAW_PING" "$SOCKET" "$COUNT" "$2") ;;
    podman-py) out=$("$BENCH_VENV/bin/python" "$ROOT/scripts/bench/podman_py_ping.py" "$SOCKET" "$PY_COUNT" "$2") ;;
  esac
  python3 -c 'import json,sys; print(json.loads(sys.argv[1])["rate"])' "$out"
}

# podstack and raw libcurl, the pair with the tightest target, run back to back in each round, first one and
# then the other first; podman-py follows them. With podman-py between them in a third of the rounds, the
# shared machine's load changed between the two runs of a pair more often than not.
bench_log "client: $ROUNDS rounds x $COUNT pings per mode for podstack and raw libcurl, $PY_COUNT for podman-py, socket $SOCKET"
for round in $(seq 1 "$ROUNDS"); do
  for mode in sequential:1 concurrent-8:8; do
    name=${mode%%:*} callers=${mode##*:}
    if [ $((round % 2)) = 1 ]; then order=(podstack raw-libcurl podman-py); else order=(raw-libcurl podstack podman-py); fi
    for contender in "${order[@]}"; do
      rate=$(run "$contender" "$callers")
      record "$RESULTS" client "$name" "$contender" "$round" "$rate" req/s
      bench_log "round $round $name $contender: $rate req/s"
    done
  done
done

python3 "$ROOT/scripts/bench/report.py" --results "$RESULTS" --groups client --text
[ "$OWN_RESULTS" = 1 ] && rm -f "$RESULTS"
exit 0
