#!/bin/sh
# Runs every suite of `make test` and ends with one line "N passed, N failed".
# Suites: unit tests (test build), the same under ASan+UBSan, the API tests
# against a real server, the policy tests as data (`guanggu policy test`),
# the web UI's unit tests (vitest, when web/ is in the checkout), the
# browser tests (playwright-core and Debian's chromium
# against a real server and the built UI), no personal data in the
# servers' logs of that run, and the spec checks (OpenAPI lint, routes vs
# spec, docs/errors.md up to date). Each suite's full output goes to
# build/test-logs/; a failing browser step's screenshot to
# build/test-logs/e2e/.
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

# node's test runner over a directory, with the spec reporter: counts from its
# closing "ℹ pass N" / "ℹ fail N" (skipped and todo tests are said, not
# counted); a non-zero exit without a failed test counts as one failure.
# run_node NAME CONCURRENCY DIR; returns 1 when something failed.
run_node() {
	name=$1; conc=$2; dir=$3
	log="$logs/$name.log"
	GUANGGU_BIN=build/test/guanggu node --test --test-concurrency="$conc" --test-reporter=spec "$dir" >"$log" 2>&1
	rc=$?
	p=$(sed -n 's/^ℹ pass \([0-9]*\)$/\1/p' "$log" | tail -n 1)
	f=$(sed -n 's/^ℹ fail \([0-9]*\)$/\1/p' "$log" | tail -n 1)
	s=$(sed -n 's/^ℹ \(skipped\|todo\) \([0-9]*\)$/\2/p' "$log" | awk '{n += $1} END {print n + 0}')
	p=${p:-0}; f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	if [ "$f" -gt 0 ]; then grep -n -B2 -A25 '✖' "$log" | head -n 150; fi
	add_counts "$name" "$p" "$f"
	if [ "$s" -gt 0 ]; then echo "    ($s skipped or todo in $log)"; fi
	[ "$f" -eq 0 ]
}

# API tests.
run_node api 2 tests/api/

# The policy tests as data (policy/tests/*.yaml) through `guanggu policy
# test` against a fresh installation (its tiers), counted per case from the
# "FILE: ok N cases" / "FILE: FAILED F of T cases" lines; a non-zero exit
# without a failed case (a malformed case file, a bad pack) counts as one.
log="$logs/policy-test.log"
ptmp=$(mktemp -d)
if build/test/guanggu init --dir "$ptmp" >/dev/null 2>"$log"; then
	GUANGGU_POLICY_DIR="$PWD/policy" build/test/guanggu policy test --dir "$ptmp" >>"$log" 2>&1
	rc=$?
else
	rc=1
fi
rm -rf "$ptmp"
p=$(sed -n 's/.*: ok \([0-9]*\) cases$/\1/p' "$log" | awk '{s += $1} END {print s + 0}')
f=$(sed -n 's/.*: FAILED \([0-9]*\) of [0-9]* cases$/\1/p' "$log" | awk '{s += $1} END {print s + 0}')
pf=$(sed -n 's/.*: FAILED [0-9]* of \([0-9]*\) cases$/\1/p' "$log" | awk '{s += $1} END {print s + 0}')
p=$((p + pf - f))
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
if [ "$f" -gt 0 ]; then tail -n 40 "$log"; fi
add_counts "policy/test" "$p" "$f"

# The web UI's unit tests: vitest, counted from its closing
# "Tests  M failed | N passed | K skipped (T)" line (skipped said, not counted).
if [ -f web/package.json ]; then
	log="$logs/web.log"
	NO_COLOR=1 npm --prefix web test >"$log" 2>&1
	rc=$?
	line=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^ *Tests +[0-9]' | tail -n 1)
	p=$(echo "$line" | sed -n 's/.* \([0-9][0-9]*\) passed.*/\1/p')
	f=$(echo "$line" | sed -n 's/.* \([0-9][0-9]*\) failed.*/\1/p')
	p=${p:-0}; f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	s=$(echo "$line" | sed -n 's/.* \([0-9][0-9]*\) \(skipped\|todo\).*/\1/p')
	if [ "$f" -gt 0 ]; then tail -n 60 "$log"; fi
	add_counts "web" "$p" "$f"
	if [ "${s:-0}" -gt 0 ]; then echo "    ($s skipped or todo in $log)"; fi
else
	echo "web: no web/package.json in this checkout, so no web unit tests"
fi

# Browser tests, one file at a time (each starts a server and a chromium).
if ls tests/e2e/*.test.mjs >/dev/null 2>&1; then
	if ! run_node e2e 1 tests/e2e/; then
		echo "e2e: screenshots of the failed steps are in $logs/e2e/:"
		ls "$logs/e2e/" 2>/dev/null | sed 's/^/    /'
	fi
else
	add_counts "e2e" 0 0
fi

run_check "spec/no-personal-data-in-logs" node tests/spec/check-logs.mjs

REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1 \
	run_check "spec/openapi-lint" npx --no-install redocly lint docs/openapi.yaml
run_check "spec/routes-match-openapi" node tests/spec/check-routes.mjs
run_check "spec/errors-md-current" sh -c 'build/test/guanggu help errors | diff -u docs/errors.md -'

[ -z "$failures" ] || echo "failed suites:$failures (logs in $logs/)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
