#!/usr/bin/env bash
# The release binary with the Swift runtime and Foundation linked in, against the ordinary dynamic one:
# size and the start-up time of `podstack --version` (median of many runs, hyperfine), side by side.
#
#   scripts/bench-startup.sh [RUNS]      (default 300 runs each; by hand, not in CI)
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

hyperfine -N --warmup 20 --runs "$runs" --export-json "$work/times.json" \
  -n static "$work/podstack-static --version" -n dynamic "$work/podstack-dynamic --version" >/dev/null
median() {  # median and range in milliseconds of the named run
  python3 -c 'import json, sys
r = next(r for r in json.load(open(sys.argv[1]))["results"] if r["command"] == sys.argv[2])
print("%.2f ms (%.2f-%.2f)" % (r["median"] * 1e3, r["min"] * 1e3, r["max"] * 1e3))' "$work/times.json" "$1"
}

echo "podstack $(cat "$work/stage/VERSION"), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%F %H:%M UTC')"
printf '%-8s  %-10s  %-32s  %s\n' build "size" "loads at run time" "podstack --version: median (min-max), $runs runs"
for build in static dynamic; do
  printf '%-8s  %-10s  %-32s  %s\n' "$build" "$(megabytes "$work/podstack-$build")" \
    "$(swift_libraries "$work/podstack-$build")" "$(median "$build")"
done
