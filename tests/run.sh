#!/bin/sh
# Runs every suite of `make test` and ends with one line "N passed, N failed".
# Suites: unit tests (test build), the same under ASan+UBSan, the API tests
# against a real server, no personal data in the servers' logs of that run,
# and the spec checks (OpenAPI lint, routes vs spec, docs/errors.md up to
# date). Each suite's full output goes to build/test-logs/.
set -u
cd "$(dirname "$0")/.." || exit 1
logs=build/test-logs
rm -rf "$logs" && mkdir -p "$logs"
passed=0
failed=0
failures=""

# add_counts NAME PASS FAIL
add_counts() {
	passed=$((passed + $2))
	failed=$((failed + $3))
	if [ "$3" -gt 0 ]; then failures="$failures $1"; fi
	printf '%-40s %4d passed, %d failed\n' "$1" "$2" "$3"
}

# A cmocka program: counts from its "[  PASSED  ] N" / "[  FAILED  ] N" lines;
# a crash (no FAILED line but a non-zero exit) counts as one failure.
run_cmocka() {
	name=$1; shift
	log="$logs/$(echo "$name" | tr / -).log"
	"$@" >"$log" 2>&1
	rc=$?
	# a program may run several groups: add up every group's lines
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s += $1} END {print s + 0}')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s += $1} END {print s + 0}')
	p=${p:-0}; f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	if [ "$f" -gt 0 ]; then tail -n 40 "$log"; fi
	add_counts "$name" "$p" "$f"
}

# A single check: passes when the command exits 0.
run_check() {
	name=$1; shift
	log="$logs/$(echo "$name" | tr / -).log"
	if "$@" >"$log" 2>&1; then add_counts "$name" 1 0; else tail -n 40 "$log"; add_counts "$name" 0 1; fi
}

for t in build/test/unit/test_*; do
	[ -x "$t" ] || continue
	run_cmocka "unit/$(basename "$t")" "$t"
done
for t in build/asan/unit/test_*; do
	[ -x "$t" ] || continue
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		run_cmocka "asan/$(basename "$t")" "$t"
done

# API tests: node's runner; counts from its closing "ℹ pass N" / "ℹ fail N".
log="$logs/api.log"
GUANGGU_BIN=build/test/guanggu node --test --test-concurrency=2 --test-reporter=spec tests/api/ >"$log" 2>&1
rc=$?
p=$(sed -n 's/^ℹ pass \([0-9]*\)$/\1/p' "$log" | tail -n 1)
f=$(sed -n 's/^ℹ fail \([0-9]*\)$/\1/p' "$log" | tail -n 1)
p=${p:-0}; f=${f:-0}
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
if [ "$f" -gt 0 ]; then grep -n -B2 -A25 '✖' "$log" | head -n 150; fi
add_counts "api" "$p" "$f"
run_check "spec/no-personal-data-in-logs" node tests/spec/check-logs.mjs

REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1 \
	run_check "spec/openapi-lint" npx --no-install redocly lint docs/openapi.yaml
run_check "spec/routes-match-openapi" node tests/spec/check-routes.mjs
run_check "spec/errors-md-current" sh -c 'build/test/guanggu help errors | diff -u docs/errors.md -'

[ -z "$failures" ] || echo "failed suites:$failures (logs in $logs/)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
