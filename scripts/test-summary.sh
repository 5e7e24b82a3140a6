#!/usr/bin/env bash
# Summarises a `swift test` log: counts per suite, and the reliability checks (issue 6) by their tags
# in the test names: faults injected, bad inputs tried, data checks.
set -uo pipefail
log=${1:?usage: test-summary.sh SWIFT_TEST_LOG}
passed=$(grep -c '^✔ Test ' "$log")
failed=$(grep -c '^✘ Test .* failed' "$log")
skipped=$(grep -c '^➜ Test .* skipped' "$log")
echo "tests: $passed passed, $failed failed, $skipped skipped"
echo "suites:"
grep -E '^(✔|✘) Suite ' "$log" | sed -E 's/^(✔|✘) Suite "([^"]*)" (passed|failed).*/  \3  \2/' | sort -u
count() { grep -E '^✔ Test ' "$log" | grep -ciE "$1"; }
echo "reliability:"
echo "  faults injected and survived: $(count 'fault|killed|went away|interrupt|SIGINT|SIGTERM|concurrent|at once')"
echo "  bad inputs rejected:          $(grep -oE 'bad input corpus: [0-9]+ files' "$log" | tail -n 1 || echo 'n/a')"
echo "  data checks passed:           $(count 'data|survives|checksum|never deletes|secret')"
