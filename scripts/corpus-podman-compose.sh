#!/usr/bin/env bash
# What podman-compose 1.6.0 makes of the real-world corpus (issue 16's yardstick: "of public compose files
# that podman-compose 1.6 accepts, podstack loads at least 90%"). For every project RealWorldCorpusTests
# loads (each .yml/.yaml under Tests/Fixtures/real-world except the helpers of expected-outcomes.tsv, and
# the `a.yml + b.yml` projects pinned there, merged as `-f a.yml -f b.yml`), runs `podman-compose config`
# in the first file's directory and writes Tests/Fixtures/real-world/podman-compose-outcomes.tsv:
# `accepts`, or `refuses: ` and the first line of its error. RealWorldCorpusTests reads that file.
#
#   scripts/corpus-podman-compose.sh        (env: PODSTACK_CORPUS_TIMEOUT=10 seconds a project,
#                                            PODSTACK_CORPUS_JOBS=2 at a time)
#
# Run by hand after adding corpus files, not in CI: it installs podman-compose from PyPI (into the venv
# scripts/bench.sh uses, /var/tmp/podstack-bench-venv, unless that already holds it), and CI has no
# PyPI guarantee. Then re-pin issue 16's figure: PODSTACK_WRITE_CORPUS_OUTCOMES=1 swift test --skip-build
# --filter RealWorldCorpusTests.
#
# Creates nothing: podman-compose's `config` asks only `podman --version`, and the `podman` it is given is
# a stand-in that answers that and refuses every other command. The environment is the tests' own (only
# HOME=/home/tester), so both tools interpolate the same variables. Takes about 30 s on 2 cores (10 of them
# waiting out compose-go's include loop, which podman-compose never finishes).
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/bench/lib.sh"

CORPUS=$ROOT/Tests/Fixtures/real-world
PINS=$CORPUS/expected-outcomes.tsv
OUT=$CORPUS/podman-compose-outcomes.tsv
TIMEOUT=${PODSTACK_CORPUS_TIMEOUT:-10}
HELPER='helper (read through another file'"'"'s extends or include)'

bench_venv
WORK=$(mktemp -d /tmp/podstack-corpus-compose.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/bin" "$WORK/out"
cat >"$WORK/bin/podman" <<'EOF'
#!/bin/sh
# Stand-in for podman: podman-compose's `config` may ask its version, nothing else.
[ "${1:-}" = "--version" ] && { echo "podman version 4.3.1"; exit 0; }
echo "podman stand-in: 'podman $*' refused; config must not run podman" >&2
exit 99
EOF
chmod +x "$WORK/bin/podman"

# The projects, one a line, as RealWorldCorpusTests.projects lists them.
projects() {
  local helpers=$WORK/helpers
  awk -F'\t' -v helper="$HELPER" '!/^#/ && $2 == helper { print $1 }' "$PINS" | LC_ALL=C sort >"$helpers"
  (cd "$CORPUS" && find . -type f \( -name '*.yml' -o -name '*.yaml' \) | sed 's|^\./||' | LC_ALL=C sort |
    LC_ALL=C comm -23 - "$helpers")
  awk -F'\t' '!/^#/ && $1 ~ / \+ / { print $1 }' "$PINS" | LC_ALL=C sort
}

# outcome PROJECT: `accepts`, or `refuses: ` and podman-compose's error: the exception of a traceback,
# else its first CRITICAL or ERROR line, with the corpus's path taken out and the log prefix dropped.
outcome() {
  local project=$1 first rest files=() status=0 err
  first=${project%% + *}
  rest=$project
  while :; do
    files+=(-f "$CORPUS/${rest%% + *}")
    [[ $rest == *" + "* ]] || break
    rest=${rest#* + }
  done
  err=$WORK/err.$BASHPID
  (cd "$CORPUS/$(dirname "$first")" &&
    env -i HOME=/home/tester LANG=C.UTF-8 PATH="$WORK/bin:/usr/bin:/bin" \
      timeout -k 2 "$TIMEOUT" "$BENCH_VENV/bin/podman-compose" --podman-path "$WORK/bin/podman" \
      "${files[@]}" config >/dev/null 2>"$err") || status=$?
  if [ "$status" -eq 0 ]; then
    echo accepts
  elif [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    echo "refuses: no answer; still running when the time limit (PODSTACK_CORPUS_TIMEOUT) stopped it"
  else
    local line
    if grep -q '^Traceback' "$err"; then line=$(grep -v '^\s*$' "$err" | tail -n 1)
    else line=$(grep -m 1 -E '^(CRITICAL|ERROR):' "$err" || grep -m 1 -v '^\s*$' "$err" || echo "exit status $status"); fi
    line=${line//"$CORPUS/"/}
    line=$(printf '%s' "$line" | sed -E 's/^(CRITICAL|ERROR):podman_compose://' | tr '\t' ' ')
    echo "refuses: $line"
  fi
  rm -f "$err"
}

# Two projects at a time (PODSTACK_CORPUS_JOBS): each is a Python start-up more than work.
count=0
while IFS= read -r project; do
  count=$((count + 1))
  (printf '%s\t%s\n' "$project" "$(outcome "$project")" >"$WORK/out/$count") &
  while [ "$(jobs -rp | wc -l)" -ge "${PODSTACK_CORPUS_JOBS:-2}" ]; do wait -n; done
done < <(projects)
wait
cat "$WORK"/out/* >"$WORK/rows"

{
  printf '# path\tpodman-compose %s config (by hand: scripts/corpus-podman-compose.sh rewrites it; read by RealWorldCorpusTests)\n' \
    "$PODMAN_COMPOSE_VERSION"
  LC_ALL=C sort "$WORK/rows"
} >"$OUT"
accepted=$(grep -c $'\taccepts$' "$WORK/rows" || true)
printf 'podman-compose %s accepts %s of %s projects; wrote %s\n' "$PODMAN_COMPOSE_VERSION" "$accepted" "$count" \
  "${OUT#"$ROOT/"}"
