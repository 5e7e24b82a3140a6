# shellcheck shell=bash
# Shared by scripts/bench.sh and scripts/bench-client.sh; source it, do not run it.
# Sets ROOT, BENCH_BIN (release build dir), BENCH_VENV; defines logging, building, the peers' venv,
# a clock, and `record` (one JSON line per measurement, which scripts/bench/report.py summarizes).

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH_SCRATCH=${PODSTACK_BENCH_SCRATCH:-$ROOT/.build-bench-release}
BENCH_BIN=$BENCH_SCRATCH/release
BENCH_VENV=${PODSTACK_BENCH_VENV:-/var/tmp/podstack-bench-venv}
PODMAN_PY_VERSION=5.8.0
PODMAN_COMPOSE_VERSION=1.6.0

bench_log() { printf 'bench: %s\n' "$*" >&2; }
bench_die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

# Seconds since the epoch with nanoseconds, for wall-clock timing of whole commands.
bench_now() { date +%s.%N; }
bench_elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", b - a }'; }

# record FILE GROUP CASE CONTENDER ROUND VALUE UNIT: one measurement as a JSON line.
record() {
  printf '{"group":"%s","case":"%s","contender":"%s","round":%s,"value":%s,"unit":"%s"}\n' \
    "$2" "$3" "$4" "$5" "$6" "$7" >>"$1"
}

# note FILE GROUP TEXT: a free-text observation that the report prints beside the group's table.
note() {
  python3 -c 'import json,sys; print(json.dumps({"group": sys.argv[1], "note": sys.argv[2]}))' "$2" "$3" >>"$1"
}

# Release builds of podstack and podstack-bench in a scratch dir of their own (gitignored .build-*),
# and the C loop beside them.
bench_build() {
  bench_log "building podstack and podstack-bench (release) in $BENCH_SCRATCH"
  (cd "$ROOT" && swift build -c release --scratch-path "$BENCH_SCRATCH" --product podstack >&2 &&
    swift build -c release --scratch-path "$BENCH_SCRATCH" --product podstack-bench >&2) ||
    bench_die "swift build failed"
  bench_log "building raw_ping (gcc -O2 -lcurl -lpthread)"
  gcc -O2 -Wall -o "$BENCH_BIN/raw_ping" "$ROOT/scripts/bench/raw_ping.c" -lcurl -lpthread ||
    bench_die "gcc failed (libcurl4-openssl-dev installed?)"
}

# The peers, pinned, in a virtual environment of their own: podman-py and podman-compose from PyPI.
bench_venv() {
  local stamp=$BENCH_VENV/.podstack-bench-$PODMAN_PY_VERSION-$PODMAN_COMPOSE_VERSION
  [ -f "$stamp" ] && return 0
  bench_log "installing podman==$PODMAN_PY_VERSION and podman-compose==$PODMAN_COMPOSE_VERSION into $BENCH_VENV"
  python3 -m venv "$BENCH_VENV" || bench_die "python3 -m venv failed (apt-get install python3-venv)"
  "$BENCH_VENV/bin/pip" install --quiet --disable-pip-version-check \
    "podman==$PODMAN_PY_VERSION" "podman-compose==$PODMAN_COMPOSE_VERSION" >&2 ||
    bench_die "pip install of the peers failed"
  touch "$stamp"
}

# The socket path of a unix:// URL.
socket_path() { printf '%s' "${1#unix://}"; }
