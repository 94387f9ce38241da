# Guanggu: one GNU Makefile.
#   make          release build: build/guanggu, and the web UI: web/dist (once web/ is in the checkout)
#   make run      set up var/ with the demo data when absent and serve on http://127.0.0.1:8080
#   make test     every suite (unit, unit under ASan+UBSan, API, web unit tests, browser tests, OpenAPI);
#                 ends "N passed, N failed"
#   make web      only the web UI
#   make bench    benchmarks (see bench/)
#   make format   clang-format the C sources
.SUFFIXES:
.DELETE_ON_ERROR:
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 2)

CC ?= cc
PKGS := libmicrohttpd jansson sqlite3 libsodium icu-uc icu-i18n xlsxwriter libutf8proc yaml-0.1 libqrencode
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 -Wno-unused-parameter
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE -Isrc -Ibuild/gen $(WARN)
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS = $(shell pkg-config --libs $(PKGS)) -lcsv -lpthread -lm
CMOCKA_LIBS = $(shell pkg-config --libs cmocka)

SRCS := $(wildcard src/core/*.c src/store/*.c src/domain/*.c src/http/*.c src/cli/*.c)
LIB_SRCS := $(SRCS)
GEN := build/gen/migrations.c
MIGRATIONS := $(sort $(wildcard src/store/migrations/*.sql))
UNIT_TESTS := $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c))

# Three builds of the same sources: release, test (clock override for the
# API tests), asan (AddressSanitizer + UndefinedBehaviorSanitizer).
CFLAGS_release := -O2 -g
CFLAGS_test := -O1 -g -DGG_TEST_BUILD
CFLAGS_asan := -O1 -g -DGG_TEST_BUILD -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS_asan := -fsanitize=address,undefined

# The web UI: a Vite project in web/, built to web/dist (served by `guanggu serve`
# from its web_dir setting). Its rules apply once web/package.json exists.
WEB_SRCS := $(wildcard web/package.json web/package-lock.json web/index.html web/vite.config.js) \
	$(shell find web/src web/public -type f 2>/dev/null)
WEB_DIST := $(if $(wildcard web/package.json),web/dist/index.html)

all: build/guanggu $(WEB_DIST)

.PHONY: all deps run test unit unit-asan api-test bench bench-verify format clean docs web browser

deps:
	@sh tools/deps.sh

build/.deps: tools/deps.sh
	@sh tools/deps.sh
	@mkdir -p build && touch $@

$(GEN): tools/embed-sql.sh $(MIGRATIONS)
	@mkdir -p $(dir $@)
	sh tools/embed-sql.sh $(MIGRATIONS) > $@

define variant
build/$(1)/obj/%.o: src/%.c build/.deps $(GEN)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(BASE_CFLAGS) $$(CFLAGS_$(1)) $$(PKG_CFLAGS) -MMD -MP -c $$< -o $$@

build/$(1)/obj/gen/migrations.o: $(GEN) build/.deps
	@mkdir -p $$(dir $$@)
	$$(CC) $$(BASE_CFLAGS) $$(CFLAGS_$(1)) -c $$< -o $$@

build/$(1)/libgg.a: $$(patsubst src/%.c,build/$(1)/obj/%.o,$$(filter-out src/main.c,$$(LIB_SRCS))) build/$(1)/obj/gen/migrations.o
	@rm -f $$@
	ar rcs $$@ $$^

build/$(1)/guanggu: build/$(1)/obj/main.o build/$(1)/libgg.a
	$$(CC) $$(CFLAGS_$(1)) $$(LDFLAGS_$(1)) -o $$@ $$^ $$(PKG_LIBS)

build/$(1)/unit/%: tests/unit/%.c build/$(1)/libgg.a
	@mkdir -p $$(dir $$@)
	$$(CC) $$(BASE_CFLAGS) $$(CFLAGS_$(1)) $$(PKG_CFLAGS) -Itests/unit $$(LDFLAGS_$(1)) -o $$@ $$< build/$(1)/libgg.a $$(PKG_LIBS) $$(CMOCKA_LIBS)
endef
$(eval $(call variant,release))
$(eval $(call variant,test))
$(eval $(call variant,asan))

build/guanggu: build/release/guanggu
	cp $< $@.tmp && mv -f $@.tmp $@

# make run: set up var/ once (prints the admin password that one time) and
# load the demo data into it, then serve.
run: build/guanggu $(WEB_DIST)
	@if [ ! -f var/guanggu.db ]; then ./build/guanggu init --dir var && ./build/guanggu demo --dir var || exit 1; fi
	@echo "Open http://127.0.0.1:8080 and log in as one of the demo accounts in var/demo-accounts.txt (or as admin)."
	./build/guanggu serve --dir var --listen 127.0.0.1:8080

node_modules/.stamp: package.json package-lock.json
	@sh tools/deps.sh --node
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

web/node_modules/.stamp: web/package.json web/package-lock.json
	@sh tools/deps.sh --node
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# vite empties web/dist and writes it again; a failed build leaves no index.html behind.
# Text files over 1 KiB also get a NAME.gz beside them (gzip -9), which `guanggu serve`
# sends to browsers that accept gzip: a phone loads about a third of the bytes.
web/dist/index.html: web/node_modules/.stamp $(WEB_SRCS)
	cd web && npm run build
	find web/dist -type f \( -name '*.js' -o -name '*.css' -o -name '*.svg' -o -name '*.json' \) -size +1k -exec gzip -k -9 -n {} +
	@touch $@

web: $(WEB_DIST)
	@[ -n "$(WEB_DIST)" ] || echo "web: no web/package.json in this checkout, nothing to build"

# Debian's chromium for the browser tests: a probe, installing only what is missing.
browser:
	@sh tools/deps.sh --browser

unit: $(addprefix build/test/unit/,$(UNIT_TESTS))
unit-asan: $(addprefix build/asan/unit/,$(UNIT_TESTS))

test: build/guanggu build/test/guanggu unit unit-asan node_modules/.stamp $(WEB_DIST) browser
	@sh tests/run.sh

# Generated from src/core/err.tbl; `make test` checks it is current.
docs: build/guanggu
	./build/guanggu help errors > docs/errors.md

# HTTP throughput (bench/run.sh), then the registry with 1,000,000 talents (bench/registry.mjs,
# BENCH_TALENTS to change; writes bench/results.json).
# bench/payrun.c: verification and payment runs over BENCH_INSTALLMENTS (default 1,000,000) installments
build/release/bench/payrun: bench/payrun.c build/release/libgg.a
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(CFLAGS_release) $(PKG_CFLAGS) -o $@ $< build/release/libgg.a $(PKG_LIBS)

# bench/verify.sh: the card verifier under wrk next to a bare libmicrohttpd Ed25519 server
# (bench/verify_bare.c) over BENCH_CARDS (default 100,000) tokens made by bench/verify_tokens.c
build/release/bench/verify_tokens: bench/verify_tokens.c build/release/libgg.a
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(CFLAGS_release) $(PKG_CFLAGS) -o $@ $< build/release/libgg.a $(PKG_LIBS)

build/release/bench/verify_bare: bench/verify_bare.c build/.deps
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(CFLAGS_release) $$(pkg-config --cflags libmicrohttpd libsodium) -o $@ $< \
		$$(pkg-config --libs libmicrohttpd libsodium) -lpthread

BENCH_VERIFY := build/guanggu build/release/bench/verify_tokens build/release/bench/verify_bare

bench-verify: $(BENCH_VERIFY)
	@sh bench/verify.sh

bench: build/guanggu $(WEB_DIST) build/release/bench/payrun $(BENCH_VERIFY)
	@sh bench/run.sh
	@node bench/registry.mjs
	@build/release/bench/payrun
	@sh bench/verify.sh

format:
	clang-format -i $(SRCS) $(wildcard src/*/*.h tests/unit/*.c tests/unit/*.h)

clean:
	rm -rf build web/dist

-include $(shell find build -name '*.d' 2>/dev/null)
