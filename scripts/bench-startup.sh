#!/usr/bin/env bash
# The release binary with the Swift runtime and Foundation linked in, against the ordinary dynamic one:
# size and the start-up time of `podstack --version` (median of many runs, hyperfine), side by side.
#
#   scripts/bench-startup.sh [RUNS]      (default 300 runs each, in 6 alternating rounds; by hand, not in CI)
#
# Both are release builds of the same commit, stripped the same way. The static one comes from
# scripts/build-release.sh (.build-static); the dynamic one is built in .build-dynamic.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

runs=${1:-300}
command -v hyperfine >/dev/null || apt-get install -y -q hyperfine >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

bash scripts/build-release.sh "$work/stage" 2>/dev/null
cp "$work/stage/bin/podstack" "$work/podstack-static"
dynamic=(-c release --scratch-path .build-dynamic -Xcc -I"$(pwd)/.build-static/commit-stamp")
swift build "${dynamic[@]}" --product podstack >"$work/dynamic-build.log" 2>&1 \
  || { cat "$work/dynamic-build.log"; exit 1; }
strip --remove-section=.comment --remove-section=.note --strip-unneeded \
  -o "$work/podstack-dynamic" "$(swift build "${dynamic[@]}" --show-bin-path)/podstack"

megabytes() { awk -v bytes="$(stat -c %s "$1")" 'BEGIN { printf "%.1f MB", bytes / 1e6 }'; }
swift_libraries() {  # the Swift libraries a binary loads, and their size together
  ldd "$1" | awk '/swift/ { print $3 }' | xargs -r stat -L -c %s | awk '{ n++; s += $1 }
    END { if (n) printf "%d Swift libraries, %.1f MB", n, s / 1e6; else print "no Swift library" }'
}

# Rounds alternate the two, so that a change in the machine's load falls on both alike.
rounds=6
for round in $(seq "$rounds"); do
  hyperfine -N --warmup 5 --runs $((runs / rounds)) --export-json "$work/round-$round.json" \
    -n static "$work/podstack-static --version" -n dynamic "$work/podstack-dynamic --version" >/dev/null 2>&1
done
timing() {  # wall-clock median and range over every run, and the mean CPU time (user + system), in ms
  python3 -c 'import glob, json, statistics, sys
rows = [r for f in glob.glob(sys.argv[1] + "/round-*.json") for r in json.load(open(f))["results"]
        if r["command"] == sys.argv[2]]
times = [t for r in rows for t in r["times"]]
cpu = statistics.mean(r["user"] + r["system"] for r in rows)
print("%.1f ms (%.1f-%.1f)  CPU %.1f ms" % (statistics.median(times) * 1e3, min(times) * 1e3, max(times) * 1e3, cpu * 1e3))' \
    "$work" "$1"
}

echo "podstack $(cat "$work/stage/VERSION"), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%F %H:%M UTC')"
printf '%-8s  %-10s  %-28s  %s\n' build size "Swift libraries it loads" \
  "podstack --version: wall median (min-max) of $runs runs, mean CPU time"
for build in static dynamic; do
  printf '%-8s  %-10s  %-28s  %s\n' "$build" "$(megabytes "$work/podstack-$build")" \
    "$(swift_libraries "$work/podstack-$build")" "$(timing "$build")"
done
