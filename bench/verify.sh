#!/bin/sh
# make bench (and make bench-verify): the public card verifier, GET
# /api/v1/cards/verify?token=..., under wrk with 64 connections over
# BENCH_CARDS (default 100,000) distinct valid tokens, one per active card
# (bench/verify_tokens.c), next to a bare libmicrohttpd server built by the
# benchmark (bench/verify_bare.c) that does only the same Ed25519 check of
# the same tokens and answers a fixed body (the verifier's own answer for
# one token, so both send as many bytes). Both servers run with the same
# thread pool, pinned with taskset to the same cores, and wrk to the
# others; the two are measured in alternation, BENCH_ROUNDS times each, in
# the same run (machines are shared and noisy: read the ratio), after a
# warm-up run of each (BENCH_WARMUP seconds, default 5, not counted). guanggu
# runs as shipped: release build, the revocation check and the benefit
# lookup on (gg_cardtoken_verify), the rate limit set by BENCH_VERIFY_RATE
# (default 0: off, printed) and the access log as BENCH_ACCESS_LOG says
# (default false, as bench/run.sh; printed).
# Then the redemption: POST /api/v1/redemptions by 64 provider accounts'
# bearer tokens against distinct cards, when the route exists.
# Traffic goes only to 127.0.0.1 for a bounded time; the servers this
# script starts are stopped by their pids.
set -eu
cd "$(dirname "$0")/.."
BIN=${GUANGGU_BIN:-build/guanggu}
BARE=build/release/bench/verify_bare
TOKENS_BIN=build/release/bench/verify_tokens
DURATION=${BENCH_SECONDS:-10}
CONNS=${BENCH_CONNECTIONS:-64}
CARDS=${BENCH_CARDS:-100000}
THREADS=${BENCH_THREADS:-2}
# BENCH_NICE=-5 (as root) runs the servers and wrk at that priority, against the noise of a shared machine
NICE=${BENCH_NICE:-}
ROUNDS=${BENCH_ROUNDS:-3}
RATE=${BENCH_VERIFY_RATE:-0}
ACCESS_LOG=${BENCH_ACCESS_LOG:-false}
PROVIDERS=64

for f in "$BIN" "$BARE" "$TOKENS_BIN"; do
	[ -x "$f" ] || { echo "bench verify: $f is not built (make bench-verify builds it)" >&2; exit 1; }
done
command -v wrk >/dev/null 2>&1 || { echo "bench verify: wrk is not installed (bench/run.sh installs it)" >&2; exit 1; }
command -v curl >/dev/null 2>&1 || { echo "bench verify: curl is not installed" >&2; exit 1; }

# Pinning: the servers on the first half of the cores, wrk on the rest.
cores=$(nproc)
if [ "$cores" -ge 2 ]; then
	half=$((cores / 2))
	SRV_CPUS="0-$((half - 1))"
	WRK_CPUS="$half-$((cores - 1))"
	WRK_THREADS=$((cores - half))
	PIN_SRV="${NICE:+nice -n $NICE }taskset -c $SRV_CPUS"
	PIN_WRK="${NICE:+nice -n $NICE }taskset -c $WRK_CPUS"
	pinning="servers on core(s) $SRV_CPUS, wrk on core(s) $WRK_CPUS ($cores cores)"
else
	SRV_CPUS=""; WRK_THREADS=1; PIN_SRV="${NICE:+nice -n $NICE}"; PIN_WRK="$PIN_SRV"
	pinning="not pinned: 1 core"
fi

dir=$(mktemp -d)
pid=""
bpid=""
# Stops the servers this script started, by pid, however it ends (a reader of its output
# that goes away, such as `| head`, ends it by SIGPIPE).
cleanup() {
	set +e
	trap - EXIT INT TERM HUP PIPE
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	[ -n "$bpid" ] && kill "$bpid" 2>/dev/null && wait "$bpid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'cleanup; exit 1' INT TERM HUP PIPE

export GUANGGU_POLICY_DIR="$PWD/policy"
"$BIN" init --dir "$dir/inst" >/dev/null
"$TOKENS_BIN" "$dir/inst" "$CARDS" "$dir/tokens" "$dir/keys" >/dev/null

# waits for "listening on URL" in file $1; prints URL
wait_listen() {
	n=0
	until grep -q '^listening on ' "$1" 2>/dev/null; do
		n=$((n + 1)); [ $n -le 100 ] || { echo "bench verify: a server did not start" >&2; cat "$1" "$1.err" >&2 2>/dev/null; exit 1; }
		sleep 0.1
	done
	sed -n 's/^listening on //p' "$1"
}

$PIN_SRV "$BIN" serve --dir "$dir/inst" --listen 127.0.0.1:0 --threads "$THREADS" --access-log "$ACCESS_LOG" \
	--verify-rate-per-minute "$RATE" >"$dir/out" 2>"$dir/out.err" &
pid=$!
url=$(wait_listen "$dir/out")

# The verdicts are real: the first, a middle and the last token are valid with benefits.
for k in 1 $((CARDS / 2 + 1)) "$CARDS"; do
	t=$(sed -n "${k}p" "$dir/tokens")
	curl -s "$url/api/v1/cards/verify?token=$t" >"$dir/body"
	grep -q '"valid":true,.*"benefits":\[{' "$dir/body" ||
		{ echo "bench verify: token $k is not valid with benefits: $(cat "$dir/body")" >&2; exit 1; }
done
curl -s "$url/api/v1/cards/verify?token=$(sed -n 1p "$dir/tokens")" >"$dir/body"

$PIN_SRV "$BARE" "$dir/keys" "$dir/body" "$THREADS" >"$dir/bare" 2>"$dir/bare.err" &
bpid=$!
burl=$(wait_listen "$dir/bare")
t=$(sed -n 1p "$dir/tokens")
[ "$(curl -s -o /dev/null -w '%{http_code}' "$burl/?token=$t")" = 200 ] ||
	{ echo "bench verify: the bare server refuses a valid token" >&2; exit 1; }

# wrk_run URL PATH_PREFIX: prints "RPS P99_MS"
wrk_run() {
	VERIFY_TOKENS="$dir/tokens" VERIFY_PATH="$2" $PIN_WRK wrk -t"$WRK_THREADS" -c"$CONNS" -d"${DURATION}s" --latency \
		-s bench/verify.lua "$1" >"$dir/wrk" 2>&1 || { cat "$dir/wrk" >&2; exit 1; }
	if grep -q -e 'Non-2xx' -e 'Socket errors' "$dir/wrk"; then
		echo "bench verify: failures against $1:" >&2; cat "$dir/wrk" >&2; exit 1
	fi
	awk '/^Requests\/sec:/ {rps = int($2)}
	     $1 == "99%" {v = $2; u = v; gsub(/[0-9.]/, "", u); sub(/[a-z]+$/, "", v);
	                  p99 = (u == "us") ? v / 1000 : (u == "s") ? v * 1000 : v}
	     END {printf "%d %.2f\n", rps, p99}' "$dir/wrk"
}

# Warm-up, not counted: one pass of each server over the tokens' pages (SQLite's page cache of
# each worker connection starts empty), then the measured rounds.
WARMUP=${BENCH_WARMUP:-5}
if [ "$WARMUP" -gt 0 ]; then
	DURATION_SAVED=$DURATION; DURATION=$WARMUP
	wrk_run "$burl" "/?token=" >/dev/null
	wrk_run "$url" "/api/v1/cards/verify?token=" >/dev/null
	DURATION=$DURATION_SAVED
fi

printf '%-54s %12s %9s\n' "GET verify, 64 connections, distinct tokens" "requests/s" "p99 ms"
bsum=0; gsum=0; bp99=0; gp99=0
r=1
while [ $r -le "$ROUNDS" ]; do
	set -- $(wrk_run "$burl" "/?token=")
	printf '%-54s %12s %9s\n' "round $r: bare libmicrohttpd + Ed25519 (baseline)" "$1" "$2"
	bsum=$((bsum + $1)); bp99=$(awk "BEGIN{print ($2 > $bp99) ? $2 : $bp99}")
	set -- $(wrk_run "$url" "/api/v1/cards/verify?token=")
	printf '%-54s %12s %9s\n' "round $r: guanggu GET /api/v1/cards/verify" "$1" "$2"
	gsum=$((gsum + $1)); gp99=$(awk "BEGIN{print ($2 > $gp99) ? $2 : $gp99}")
	r=$((r + 1))
done
brps=$((bsum / ROUNDS)); grps=$((gsum / ROUNDS))
ratio=$(awk "BEGIN{printf \"%.2f\", $grps / $brps}")
printf '%-54s %12s %9s\n' "bare server, mean of $ROUNDS (p99: worst)" "$brps" "$bp99"
printf '%-54s %12s %9s\n' "guanggu verify, mean of $ROUNDS (p99: worst)" "$grps" "$gp99"
echo "ratio guanggu/bare: $ratio (aim >= 0.70), guanggu p99 ${gp99} ms (aim < 5 ms)"
echo "($CARDS tokens, $CONNS connections, ${DURATION}s a run, wrk -t$WRK_THREADS; both servers with $THREADS threads;" \
	"$pinning${NICE:+, nice $NICE}; verify_rate_per_minute=$RATE; access_log=$ACCESS_LOG)"
kill "$bpid" 2>/dev/null && wait "$bpid" 2>/dev/null || true
bpid=""

# The redemption, once the benefits' route is there (an unknown route is not 401).
echo
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '{}' "$url/api/v1/redemptions")
if [ "$code" != 401 ]; then
	echo "redemption: skipped: no redemption route (POST /api/v1/redemptions answered $code)"
	exit 0
fi
i=1
: >"$dir/bearers"
while [ $i -le $PROVIDERS ]; do
	# a password set here: an account made without one must change it first, and its tokens are refused until then
	echo 'bench-password-123' | "$BIN" user add "provider$i" --role provider --scope org:900002 --password-stdin \
		--dir "$dir/inst" >/dev/null
	"$BIN" user token "provider$i" --label bench --dir "$dir/inst" | sed -n 's/^token: //p' >>"$dir/bearers"
	i=$((i + 1))
done
# item 4: no booking, every tier, quota 4 a year: a run of fewer requests than cards uses each card at most once
t=$(sed -n 2p "$dir/tokens")
first=$(curl -s -w ' %{http_code}' -X POST -H 'Content-Type: application/json' -H "Authorization: Bearer $(sed -n 1p "$dir/bearers")" \
	-d "{\"token\":\"$t\",\"item_id\":4}" "$url/api/v1/redemptions")
case "$first" in *" 201") ;; *) echo "redemption: a first redemption failed: $first" >&2; exit 1 ;; esac
REDEEM_TOKENS="$dir/tokens" REDEEM_BEARERS="$dir/bearers" REDEEM_ITEM=4 $PIN_WRK wrk -t"$WRK_THREADS" -c"$CONNS" \
	-d"${DURATION}s" --latency -s bench/redeem.lua "$url" >"$dir/wrk" 2>&1 || { cat "$dir/wrk" >&2; exit 1; }
set -- $(awk '/^Requests\/sec:/ {rps = int($2)} /Non-2xx/ {bad = $NF}
	     $1 == "99%" {v = $2; u = v; gsub(/[0-9.]/, "", u); sub(/[a-z]+$/, "", v);
	                  p99 = (u == "us") ? v / 1000 : (u == "s") ? v * 1000 : v}
	     END {printf "%d %.2f %d\n", rps, p99, bad}' "$dir/wrk")
printf '%-54s %12s %9s\n' "POST /api/v1/redemptions, $PROVIDERS providers" "$1" "$2"
[ "$3" = 0 ] || { echo "redemption: $3 answers were not 2xx" >&2; cat "$dir/wrk" >&2; exit 1; }
# the baseline of the same run: the verify endpoint's mean above (a redemption is that verdict plus one write transaction)
echo "ratio redemption/verify: $(awk "BEGIN{printf \"%.2f\", $1 / $grps}") (the same server's GET verify, mean above, as the baseline)"
echo "($CONNS connections cycling over $PROVIDERS provider tokens and distinct cards, ${DURATION}s, $pinning)"
