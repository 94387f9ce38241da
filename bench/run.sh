#!/bin/sh
# make bench: HTTP throughput of the API on this machine, each figure next to
# a baseline measured in the same run (machines are shared and noisy: read
# the ratios, not the absolute numbers). Traffic goes only to 127.0.0.1, for
# a bounded time, and the server this script starts is stopped by its pid.
#
# baseline: GET /healthz (router, one SELECT 1 on the worker's connection)
# figures:  GET /api/v1/me with a bearer token (token lookup + roles + JSON)
#           GET /api/v1/users?limit=50 with a bearer token (50 accounts listed)
#           GET /talents/12 (the web UI's index.html by the SPA fallback, from memory)
#           GET the largest hashed file of web/dist/assets with Accept-Encoding: gzip
# then:     the hire-to-recognition latency (bench/hires.mjs on the same server):
#           POST /api/v1/orders/{id}/hires over BENCH_HIRES distinct orders,
#           p50/p99 and requests/s next to POST /api/v1/talents
set -eu
cd "$(dirname "$0")/.."
BIN=${GUANGGU_BIN:-build/guanggu}
DURATION=${BENCH_SECONDS:-5}
CONNS=${BENCH_CONNECTIONS:-64}

if ! command -v wrk >/dev/null 2>&1; then
	SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
	echo "bench: installing wrk" >&2
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >&2 ||
		{ $SUDO apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >&2; }
fi

dir=$(mktemp -d)
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM

"$BIN" init --dir "$dir" >/dev/null
echo 'bench-password-123' | "$BIN" user add bench --role bureau_admin --password-stdin --dir "$dir" >/dev/null
i=1
while [ $i -le 49 ]; do
	"$BIN" user add "user$i" --role expert --dir "$dir" >/dev/null
	i=$((i + 1))
done
token=$("$BIN" user token bench --label bench --dir "$dir" | sed -n 's/^token: //p')

WEB=${GUANGGU_WEB_DIR:-$PWD/web/dist}
[ -f "$WEB/index.html" ] || { echo "bench: no web UI in $WEB (make web builds it)" >&2; exit 1; }
asset=$(ls -S "$WEB"/assets/*.js | head -n 1)
asset=/assets/${asset##*/}
GUANGGU_WEB_DIR=$WEB "$BIN" serve --dir "$dir" --listen 127.0.0.1:0 --threads 2 --access-log false >"$dir/out" 2>"$dir/err" &
pid=$!
n=0
until grep -q '^listening on ' "$dir/out" 2>/dev/null; do
	n=$((n + 1)); [ $n -le 100 ] || { echo "bench: server did not start" >&2; cat "$dir/err" >&2; exit 1; }
	sleep 0.1
done
url=$(sed -n 's/^listening on //p' "$dir/out")

rps() { # path [auth | gzip]
	if [ "${2:-}" = gzip ]; then
		wrk -t2 -c"$CONNS" -d"${DURATION}s" -H "Accept-Encoding: gzip" "$url$1"
	elif [ -n "${2:-}" ]; then
		wrk -t2 -c"$CONNS" -d"${DURATION}s" -H "Authorization: Bearer $2" "$url$1"
	else
		wrk -t2 -c"$CONNS" -d"${DURATION}s" "$url$1"
	fi | awk '/^Requests\/sec:/ {print int($2)} /Non-2xx/ {print "non2xx " $0 > "/dev/stderr"}'
}

base=$(rps /healthz)
me=$(rps /api/v1/me "$token")
users=$(rps '/api/v1/users?limit=50' "$token")
page=$(rps /talents/12)
big=$(rps "$asset" gzip)

printf '%-44s %12s %12s %7s\n' figure "requests/s" "baseline" ratio
printf '%-44s %12s %12s %7s\n' "GET /healthz (baseline)" "$base" "$base" "1.00"
printf '%-44s %12s %12s %7s\n' "GET /api/v1/me, bearer" "$me" "$base" "$(awk "BEGIN{printf \"%.2f\", $me/$base}")"
printf '%-44s %12s %12s %7s\n' "GET /api/v1/users?limit=50, bearer" "$users" "$base" "$(awk "BEGIN{printf \"%.2f\", $users/$base}")"
printf '%-44s %12s %12s %7s\n' "GET /talents/12 (web UI, SPA fallback)" "$page" "$base" "$(awk "BEGIN{printf \"%.2f\", $page/$base}")"
printf '%-44s %12s %12s %7s\n' "GET $(printf '%.30s' "$asset"), gzip" "$big" "$base" "$(awk "BEGIN{printf \"%.2f\", $big/$base}")"
echo "($CONNS connections, ${DURATION}s each, wrk -t2, server --threads 2, on $(nproc) cores)"
echo
node bench/hires.mjs "$url" "$token"
