#!/usr/bin/env bash
# Summarises a `swift test` log: counts per suite, and the reliability checks (issue 6) by their tags
# in the test names: faults injected, bad inputs tried, data checks. LABEL (e.g. "integration tests on
# Podman 5.4.2") heads the summary, so that each result says where it came from.
set -uo pipefail
log=${1:?usage: test-summary.sh SWIFT_TEST_LOG [LABEL]}
label=${2:-}
[ -n "$label" ] && echo "== $label"
# Test names are quoted; "✔ Test run with N tests" and a failed test's "recorded an issue" lines are not tests.
passed=$(grep -c '^✔ Test "' "$log")
failed=$(grep -cE '^✘ Test "[^"]*"( with [0-9]+ test cases?)? failed' "$log")
skipped=$(grep -cE '^➜ (Test|Suite) "[^"]*" skipped' "$log")
echo "tests: $passed passed, $failed failed, $skipped skipped"
grep -E '^✘ Test "[^"]*"( with [0-9]+ test cases?)? failed' "$log" | sed -E 's/^✘ Test ("[^"]*").*/  failed: \1/' | sort -u
# swift-testing's own count, from its last line. Once in a while a run's log lacks some result lines (the
# run itself reported every test); the counts above, and the tags below, are then of the lines that came.
total=$(grep -oE '^(✔|✘) Test run with [0-9]+ tests?' "$log" | tail -n 1 | grep -oE '[0-9]+')
if [ -n "$total" ] && [ "$total" -gt $((passed + failed + skipped)) ]; then
  echo "  (swift-testing ran $total tests; $((total - passed - failed - skipped)) result lines are missing from the log)"
fi
echo "suites:"
grep -E '^(✔|✘) Suite ' "$log" | sed -E 's/^(✔|✘) Suite "([^"]*)" (passed|failed).*/  \3  \2/' | sort -u
count() { grep -E '^✔ Test "' "$log" | grep -ciE "$1"; }
echo "reliability:"
echo "  faults injected and survived: $(count 'fault|killed|went away|interrupt|SIGINT|SIGTERM|concurrent|at once')"
echo "  bad inputs rejected:          $(grep -oE 'bad input corpus: [0-9]+ files' "$log" | tail -n 1 || echo 'n/a')"
echo "  data checks passed:           $(count 'data|survives|checksum|never deletes|secret')"
