#!/usr/bin/env bash
# The test command: typecheck, lint, the vitest suite (unit + integration against real
# servers). Ends with one plain line `N passed, N failed`; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
passed=0; failed=0
step() { # name, command...
  local name=$1; shift
  echo "== $name"
  if "$@"; then passed=$((passed + 1)); else echo "== $name FAILED"; failed=$((failed + 1)); fi
}
step typecheck npx tsc --noEmit -p tsconfig.json
step lint npx eslint --max-warnings 0 .

report=$(mktemp)
npx vitest run --reporter=default --reporter=json --outputFile="$report"
vitest_rc=$?
if [ -s "$report" ]; then
  read -r vp vf < <(node -e 'const r=require(process.argv[1]);console.log(r.numPassedTests, r.numFailedTests + (r.numRuntimeErrorTestSuites||0))' "$report")
  passed=$((passed + vp)); failed=$((failed + vf))
  if [ "$vitest_rc" -ne 0 ] && [ "$vf" -eq 0 ]; then failed=$((failed + 1)); echo "== vitest exited $vitest_rc"; fi
else
  echo "== vitest produced no report (exit $vitest_rc)"; failed=$((failed + 1))
fi
rm -f "$report"
echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
