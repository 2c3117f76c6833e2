#!/usr/bin/env bash
# The test command: typecheck, lint, build, the vitest suite (unit + integration against
# real servers), and the end-to-end suite in real Chromium against serve mode. Ends with
# one plain line `N passed, N failed`; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
passed=0; failed=0
step() { # name, command...
  local name=$1; shift
  echo "== $name"
  if "$@"; then passed=$((passed + 1)); else echo "== $name FAILED"; failed=$((failed + 1)); fi
}
step typecheck npx tsc --noEmit -p tsconfig.json
step typecheck-web npx tsc --noEmit -p tsconfig.web.json
step typecheck-renderer-tests npx tsc --noEmit -p tsconfig.renderer-test.json
step lint npx eslint --max-warnings 0 .
step build npx electron-vite build

# Adds a runner's counts from its JSON report (vitest's and Playwright's share the idea);
# an unreadable report counts as one failure, never as zero tests.
count_report() { # name, exit code, node expression over r printing "passed failed", report file
  local name=$1 rc=$2 expr=$3 report=$4 counts vp vf
  counts=$(node -e "const r=JSON.parse(require('fs').readFileSync(process.argv[1],'utf8'));console.log($expr)" "$report" 2>/dev/null)
  read -r vp vf <<<"$counts"
  if ! [[ "$vp" =~ ^[0-9]+$ && "$vf" =~ ^[0-9]+$ ]]; then
    echo "== $name produced no readable report (exit $rc)"; failed=$((failed + 1)); return
  fi
  passed=$((passed + vp)); failed=$((failed + vf))
  if [ "$rc" -ne 0 ] && [ "$vf" -eq 0 ]; then echo "== $name exited $rc"; failed=$((failed + 1)); fi
}

report=$(mktemp)
echo "== vitest"
npx vitest run --reporter=default --reporter=json --outputFile.json="$report"
count_report vitest $? 'r.numPassedTests, r.numFailedTests + (r.numRuntimeErrorTestSuites||0)' "$report"
rm -f "$report"

report=$(mktemp)
echo "== playwright (end to end, /usr/bin/chromium)"
PLAYWRIGHT_JSON_OUTPUT_NAME="$report" npx playwright test --reporter=list,json
count_report playwright $? 'r.stats.expected + r.stats.flaky, r.stats.unexpected' "$report"
rm -f "$report"
echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
