# The two commands a person needs first: `make run` and `make test`.
SHELL := /bin/bash
GO    ?= go
BIN   := bin/ppp
PKGS  := ./...

# What the tests and the demo need from Debian, installed when missing.
DEBS_RUN  := postgresql
DEBS_TEST := postgresql openssh-client tmux

.PHONY: run build test test-faults test-faults-run test-short bench bench-go fuzz deps-run deps-test vet fmt clean

## run: build, start the private database, load demo data, serve SSH on :2222
run: deps-run build
	./$(BIN) demo
	exec ./$(BIN) serve

# `ppp version` reports these: git describe's name of the tree and the commit
# (when git and the history are there; Go's own VCS stamp is used too, but
# -buildvcs=false or a worktree can leave it out) and the UTC time of the build.
VERSION    ?= $(shell git describe --always --dirty 2>/dev/null)
REVISION   := $(shell git rev-parse HEAD 2>/dev/null)
BUILD_TIME := $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS    := -X main.buildTime=$(BUILD_TIME) $(if $(VERSION),-X main.version=$(VERSION)) $(if $(REVISION),-X main.revision=$(REVISION))

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/ppp

## test: the whole suite, with -race, against a private test cluster, and beside it test-faults
## with a 10-second soak of 20 sessions on a cluster of its own (its output follows the suite's). Four tests of a
## package run at once: most of a test's time is spent waiting for PostgreSQL. The two slowest
## packages are named first, so that they start first.
test: deps-test build vet
	@set -uo pipefail; mkdir -p var; \
	$(MAKE) --no-print-directory test-faults-run PPP_FAULTS_SOAK=$(PPP_FAULTS_SOAK_SHORT) PPP_FAULTS_SOAK_SESSIONS=$(PPP_FAULTS_SOAK_SESSIONS_SHORT) >var/test-faults.log 2>&1 & faults=$$!; \
	( set -e; export PPP_DATA_DIR="$$PWD/var/test" PPP_DB_EPHEMERAL=1; \
	  url=$$(./$(BIN) db start); \
	  trap './$(BIN) db stop >/dev/null 2>&1 || true' EXIT; \
	  PPP_TEST_DATABASE_URL="$$url" PPP_BIN="$$PWD/$(BIN)" \
	    $(GO) test -race -count=1 -parallel 4 -timeout 30m ./storage/ ./cmd/ppp/ $(PKGS) ); suite=$$?; \
	wait $$faults; faulted=$$?; \
	echo "== test-faults"; cat var/test-faults.log; \
	if [ $$suite -ne 0 ] || [ $$faulted -ne 0 ]; then echo "make test: the suite exited $$suite, test-faults $$faulted"; exit 1; fi

## test-faults: the resilience tests (database restarts under 50 sessions, the server killed
## with -9 mid-decision, dropped clients, PPP_FAULTS_SOAK_SESSIONS sessions soaking for PPP_FAULTS_SOAK) on a
## cluster of their own under var/faults, since they restart it. Not ephemeral: an immediate
## restart is a crash of PostgreSQL, and with synchronous_commit off it loses transactions it
## had already confirmed, which the tests would rightly report as lost decisions.
PPP_FAULTS_SOAK ?= 5m
PPP_FAULTS_SOAK_SHORT ?= 10s
PPP_FAULTS_SOAK_SESSIONS ?= 200
PPP_FAULTS_SOAK_SESSIONS_SHORT ?= 20
test-faults: deps-test build test-faults-run

# test-faults-run is test-faults without building first (make test builds once for both).
test-faults-run:
	@set -euo pipefail; \
	export PPP_DATA_DIR="$$PWD/var/faults"; \
	url=$$(./$(BIN) db start); \
	trap './$(BIN) db stop >/dev/null 2>&1 || true' EXIT; \
	PPP_TEST_DATABASE_URL="$$url" PPP_BIN="$$PWD/$(BIN)" PPP_FAULTS_DATA_DIR="$$PPP_DATA_DIR" \
	PPP_FAULTS_SOAK="$(PPP_FAULTS_SOAK)" PPP_FAULTS_SOAK_SESSIONS="$(PPP_FAULTS_SOAK_SESSIONS)" \
	  $(GO) test -race -count=1 -tags faults -timeout 60m -run 'Faults|DroppedConnection' -v ./cmd/ppp/

## bench: `ppp bench` on the default database (durable, under PPP_DATA_DIR or var): one
## table of every figure beside its same-run baseline; BENCH_FLAGS e.g. "--quick --scale 20000"
BENCH_FLAGS ?=
bench: deps-run build
	./$(BIN) bench $(BENCH_FLAGS)

## bench-go: the Go benchmarks, BENCH_COUNT runs each, into var/bench/$(BENCH_NAME).txt, compared
## with benchstat to var/bench/$(BENCH_BASE).txt when that exists (e.g. BENCH_NAME=new BENCH_BASE=old)
BENCH_COUNT ?= 6
BENCH_NAME  ?= new
BENCH_BASE  ?= old
BENCHSTAT   := golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
bench-go: deps-test build
	@set -euo pipefail; mkdir -p var/bench; \
	export PPP_DATA_DIR="$$PWD/var/test" PPP_DB_EPHEMERAL=1; \
	url=$$(./$(BIN) db start); \
	trap './$(BIN) db stop >/dev/null 2>&1 || true' EXIT; \
	PPP_TEST_DATABASE_URL="$$url" PPP_BIN="$$PWD/$(BIN)" \
	  $(GO) test -run '^$$' -bench . -count $(BENCH_COUNT) -timeout 60m $(PKGS) | tee var/bench/$(BENCH_NAME).txt; \
	if [ -f var/bench/$(BENCH_BASE).txt ]; then $(GO) run $(BENCHSTAT) var/bench/$(BENCH_BASE).txt var/bench/$(BENCH_NAME).txt; fi

## test-short: the tests that need no database or SSH client
test-short:
	$(GO) test -short -race -count=1 $(PKGS)

## fuzz: every fuzz target for FUZZTIME each (default 20s)
FUZZTIME ?= 20s
fuzz:
	@set -euo pipefail; \
	grep -rl --include='*_test.go' '^func Fuzz' cmd tui domain storage | xargs -n1 dirname | sort -u | while read -r dir; do \
	  for target in $$(grep -h '^func Fuzz' $$dir/*_test.go | sed 's/func \(Fuzz[A-Za-z0-9_]*\).*/\1/'); do \
	    echo "== $$dir $$target"; \
	    $(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) ./$$dir; \
	  done; \
	done

## dist: dist/ppp-VERSION-linux-amd64.tar.gz (VERSION: git describe --always --dirty) holding
## ppp-VERSION-linux-amd64/ with the binary (static, linux/amd64), the systemd unit, its settings file,
## the container recipe and README.md. DIST_BIN packs a binary built already instead (the test does).
DIST_VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo unknown)
DIST_DIR     ?= dist
DIST_BIN     ?=
.PHONY: dist
dist:
	@set -euo pipefail; name=ppp-$(DIST_VERSION)-linux-amd64; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	mkdir -p "$$tmp/$$name" "$(DIST_DIR)"; \
	if [ -n "$(DIST_BIN)" ]; then cp "$(DIST_BIN)" "$$tmp/$$name/ppp"; \
	else CGO_ENABLED=0 GOOS=linux GOARCH=amd64 $(GO) build -trimpath -o "$$tmp/$$name/ppp" ./cmd/ppp; fi; \
	cp cmd/ppp/dist/ppp.service cmd/ppp/dist/ppp.env cmd/ppp/dist/Containerfile README.md "$$tmp/$$name/"; \
	chmod 0755 "$$tmp/$$name/ppp"; chmod 0644 "$$tmp/$$name"/{ppp.service,ppp.env,Containerfile,README.md}; \
	tar -C "$$tmp" --owner=0 --group=0 --sort=name -czf "$(DIST_DIR)/$$name.tar.gz" "$$name"; \
	echo "$(DIST_DIR)/$$name.tar.gz"

vet:
	$(GO) vet $(PKGS)
	$(GO) vet -tags faults ./cmd/ppp/
	@test -z "$$(gofmt -l cmd tui domain storage)" || { gofmt -l cmd tui domain storage; echo "gofmt needed"; exit 1; }

# Install missing Debian packages (only as root, only when missing).
deps-run:
	@.ci/install-debs $(DEBS_RUN)
deps-test:
	@.ci/install-debs $(DEBS_TEST)

clean:
	rm -rf bin
