#!/bin/sh
# Installs the Debian packages Guanggu builds and tests with, but only when
# a probe fails, so a prepared machine pays nothing. Uses sudo when not root.
#   sh tools/deps.sh            the C toolchain and libraries
#   sh tools/deps.sh --node     also checks for Node.js 20.19 or newer (tests, web UI)
#   sh tools/deps.sh --browser  also Debian's chromium (and a Chinese font) for the browser tests
set -eu

# apt_install PKG...: apt-get install, waiting up to 5 minutes for a lock another install holds.
apt_install() {
	echo "deps: installing $*" >&2
	SUDO=""
	[ "$(id -u)" = 0 ] || SUDO=sudo
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq >&2
	$SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "$@" >&2
}

missing=""
probe_pc() { pkg-config --exists "$1" 2>/dev/null || missing="$missing $2"; }
probe_cmd() { command -v "$1" >/dev/null 2>&1 || missing="$missing $2"; }

probe_cmd pkg-config pkg-config
probe_cmd cc gcc
if command -v pkg-config >/dev/null 2>&1; then
	probe_pc libmicrohttpd libmicrohttpd-dev
	probe_pc jansson libjansson-dev
	probe_pc sqlite3 libsqlite3-dev
	probe_pc libsodium libsodium-dev
	probe_pc cmocka libcmocka-dev
	probe_pc icu-i18n libicu-dev
	probe_pc xlsxwriter libxlsxwriter-dev
	probe_pc libutf8proc libutf8proc-dev
	probe_pc yaml-0.1 libyaml-dev
	probe_pc libqrencode libqrencode-dev
fi
# libcsv has no pkg-config file: a test compile finds it
if command -v cc >/dev/null 2>&1; then
	probe=$(mktemp -d)
	printf '#include <csv.h>\nint main(void){struct csv_parser p; return csv_init(&p, CSV_STRICT);}\n' >"$probe/t.c"
	cc "$probe/t.c" -o "$probe/t" -lcsv >/dev/null 2>&1 || missing="$missing libcsv-dev"
	rm -rf "$probe"
fi
probe_cmd sqlite3 sqlite3
# the timezone setting names a zone of the system's time zone database
[ -e /usr/share/zoneinfo/Asia/Shanghai ] || missing="$missing tzdata"
probe_cmd curl curl

# shellcheck disable=SC2086
[ -z "$missing" ] || apt_install $missing

if [ "${1:-}" = "--node" ]; then
	if ! command -v node >/dev/null 2>&1; then
		echo "deps: Node.js 20.19 or newer is required for the tests and the web UI; none was found" >&2
		exit 1
	fi
	# Vite 7 (the web UI's build) needs 20.19 or newer within the 20 line.
	if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
		echo "deps: Node.js 20.19 or newer is required (found $(node -v)); Debian 12's own nodejs is 18" >&2
		exit 1
	fi
fi

# The browser tests drive Debian's chromium through playwright-core (which
# downloads no browser of its own); the pages are Chinese, so a CJK font too.
if [ "${1:-}" = "--browser" ]; then
	chromium_ok() { [ -x /usr/bin/chromium ] && /usr/bin/chromium --version >/dev/null 2>&1; }
	cjk_font_ok() { command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh family 2>/dev/null)" ]; }
	browser=""
	chromium_ok || browser="chromium"
	cjk_font_ok || browser="$browser fonts-wqy-zenhei"
	# shellcheck disable=SC2086
	[ -z "$browser" ] || apt_install $browser
	if ! chromium_ok; then
		echo "deps: /usr/bin/chromium does not run after installing Debian's chromium package" >&2
		exit 1
	fi
fi
