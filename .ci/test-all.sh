#!/usr/bin/env bash
# Runs every test suite, all of them even when one fails, prints each
# runner's own summary and a final count of suites.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .artifacts
passed=0 failed=0 failures=()

step() { # step NAME CMD...
	local name=$1; shift
	echo
	echo "=== $name"
	local start=$SECONDS
	if "$@" 2>&1 | tee ".artifacts/$name.log"; then
		passed=$((passed + 1)); echo "--- $name: ok ($((SECONDS - start)) s)"
	else
		failed=$((failed + 1)); failures+=("$name"); echo "--- $name: FAILED ($((SECONDS - start)) s)"
	fi
}

step go-test env CGO_ENABLED=0 go test -count=1 ./...
step go-race go test -race -count=1 ./backend/...
step check make --no-print-directory check
step bindings-current bash -c 's=$(git -c core.fileMode=false status --porcelain -- frontend/src/wailsjs); [ -z "$s" ] || { echo "generated bindings differ from the commit (run wails build and commit frontend/src/wailsjs):"; echo "$s"; exit 1; }'
step vitest make --no-print-directory test-frontend
step smoke .ci/headless.sh smoke ./build/bin/outpost .artifacts/smoke.png
step kill-desktop env KILL_BUILD=0 .ci/kill-desktop.sh
step e2e .ci/e2e.sh

echo
[ $failed -gt 0 ] && echo "failed suites: ${failures[*]}"
echo "test suites: $passed passed, $failed failed"
[ $failed -eq 0 ]
