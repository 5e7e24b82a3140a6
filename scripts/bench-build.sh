#!/usr/bin/env bash
# Build-context benchmark: one context of about 200 MB (a few large random files and many small ones),
# built through podstack's streamed build (podstack-build-bench: a tar stream produced while the
# directory is read, sent chunked to POST /libpod/build) and through `podman build` on the test bed,
# side by side: wall time and the client's maximum resident set (/usr/bin/time -v). Both build with
# --no-cache and `FROM <stand-in>` + `COPY . /ctx`, so both read and store the whole context. A third
# contender, `podman --remote build`, goes through the same API route as podstack.
#
#   scripts/bench-build.sh [--size-mb N] [--bin DIR] [--rounds N]
#
# --bin: where podstack-build-bench is (default .build/debug; build it first with
# `swift build --product podstack-build-bench`). Needs the test bed up (scripts/testbed.sh up).
# Images are named pstest-build-bench-* and removed; the context is made under /var/tmp and removed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TB=$ROOT/scripts/testbed.sh
SIZE_MB=200
BIN=$ROOT/.build/debug
ROUNDS=1
while [ $# -gt 0 ]; do
  case "$1" in
    --size-mb) SIZE_MB=$2; shift 2 ;;
    --bin) BIN=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) printf 'bench-build: unknown argument %s (see --help)\n' "$1" >&2; exit 64 ;;
  esac
done
[ -x "$BIN/podstack-build-bench" ] || { echo "bench-build: no $BIN/podstack-build-bench (swift build --product podstack-build-bench)" >&2; exit 1; }
eval "$(bash "$TB" env)"
SOCKET=${CONTAINER_HOST#unix://}

CTX=$(mktemp -d /var/tmp/pstest-build-bench-ctx.XXXXXX)
# The bed's user must be able to read the context for `podman build`.
chmod 755 "$CTX"
TAG=localhost/pstest-build-bench-$$
cleanup() {
  rm -rf "$CTX"
  bash "$TB" podman rmi -f "$TAG-podstack" "$TAG-podman" "$TAG-remote" >/dev/null 2>&1 || :
}
trap cleanup EXIT

# Four large files take most of the size; 2,000 small files (4 KiB each, in 20 directories) the rest.
large=$(( (SIZE_MB * 1024 - 8000) / 4 ))
for n in 1 2 3 4; do head -c "${large}K" /dev/urandom >"$CTX/large-$n.bin"; done
for d in $(seq 1 20); do
  mkdir -p "$CTX/src/dir$d"
  for f in $(seq 1 100); do head -c 4096 /dev/urandom >"$CTX/src/dir$d/file$f.txt"; done
done
printf 'FROM localhost/podstack-standin-generic:latest\nCOPY . /ctx\n' >"$CTX/Dockerfile"
printf '*.log\n' >"$CTX/.dockerignore"
chmod -R a+rX "$CTX"
printf 'context: %s MB in %s files\n' "$(du -sm "$CTX" | cut -f1)" "$(find "$CTX" -type f | wc -l)"

# measure NAME COMMAND...: wall seconds and max RSS (KiB) of the command, from /usr/bin/time -v.
measure() {
  local name=$1; shift
  local log; log=$(mktemp)
  /usr/bin/time -v "$@" >"$log.out" 2>"$log" || { cat "$log" >&2; rm -f "$log" "$log.out"; exit 1; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$log")
  cpu=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.2f", u + s }' "$log")
  printf '%-28s %8.2f s %10d KiB max RSS %6.2f s client CPU' "$name" "$wall" "$rss" "$cpu"
  # podstack-build-bench also says when the build's first line came: Podman has then received and
  # extracted the whole context; the rest is the build itself.
  sed -n 's/.*"uploadSeconds":\([0-9.]*\).*/  (context received and extracted by Podman after \1 s)/p' "$log.out" | tr -d '\n'
  printf '\n'
  rm -f "$log" "$log.out"
}

for round in $(seq 1 "$ROUNDS"); do
  printf 'round %s\n' "$round"
  measure "podstack (streamed API)" "$BIN/podstack-build-bench" --socket "$SOCKET" --context "$CTX" \
    --tag "$TAG-podstack" --no-cache
  measure "podman build (CLI)" bash "$TB" podman build --no-cache -q -t "$TAG-podman" "$CTX"
  # The same API route as podstack, through Podman's own remote client (it, too, sends a tar of the context).
  measure "podman --remote build" bash "$TB" podman --remote --url "unix://$SOCKET" build --no-cache -q \
    -t "$TAG-remote" "$CTX"
  bash "$TB" podman rmi -f "$TAG-podstack" "$TAG-podman" "$TAG-remote" >/dev/null 2>&1 || :
done
