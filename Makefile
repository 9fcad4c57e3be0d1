# Outpost. `make run` sets everything up and opens the app on the sample
# library; `make test` sets everything up and runs every test.

SHELL := /bin/bash
GO ?= $(shell command -v go 2>/dev/null || echo /usr/local/go/bin/go)
GOBIN := $(shell $(GO) env GOPATH)/bin
export PATH := $(dir $(GO)):$(GOBIN):$(PATH)

WAILS_VERSION := v2.16.0
WAILS := $(GOBIN)/wails
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
APP := build/bin/outpost
ARTIFACTS := .artifacts

.PHONY: run test setup deps-system deps-wails deps-frontend dist-keep build dev check \
	test-go test-frontend test-smoke test-e2e bench bench-pack bench-sync kill-desktop hub dist-windows clean

## run: set up, build and open Outpost (under Xvfb with a screenshot when there is no display)
run: build
	@if [ -n "$$DISPLAY" ] || [ "$$(uname)" = Darwin ]; then ./$(APP); \
	else .ci/headless.sh run ./$(APP) $(ARTIFACTS)/outpost-run.png; fi

## test: set up, then run every test suite and print a summary
test: build
	@.ci/test-all.sh

## setup: install system packages, the wails CLI and the frontend's npm packages
setup: deps-system deps-wails deps-frontend dist-keep

deps-system:
	@.ci/setup-system.sh

deps-wails:
	@if [ "$$($(WAILS) version 2>/dev/null)" != "$(WAILS_VERSION)" ]; then \
		echo "setup: installing wails CLI $(WAILS_VERSION)"; \
		$(GO) install github.com/wailsapp/wails/v2/cmd/wails@$(WAILS_VERSION); fi

deps-frontend: frontend/node_modules/.installed

frontend/node_modules/.installed: frontend/package.json
	cd frontend && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund
	@touch $@

# go:embed all:frontend/dist needs a file there; dist is build output and not
# committed, so every target that compiles Go depends on this.
dist-keep:
	@mkdir -p frontend/dist && [ -e frontend/dist/.gitkeep ] || touch frontend/dist/.gitkeep

## build: the desktop binary in build/bin (frontend built and embedded)
build: setup
	$(WAILS) build -ldflags "$(LDFLAGS)" -o outpost -m -nosyncgomod

## dev: live-reloading app (needs a display; use xvfb-run without one)
dev: setup
	$(WAILS) dev

## check: formatting, vet, type checks, lint
check: setup
	@test -z "$$(gofmt -l app backend main.go)" || { gofmt -l app backend main.go; echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...
	cd frontend && npm run typecheck && npm run lint

test-go: dist-keep
	CGO_ENABLED=0 $(GO) test -count=1 ./...

test-frontend: deps-frontend
	cd frontend && npm run test

test-smoke: build
	.ci/headless.sh smoke ./$(APP) $(ARTIFACTS)/smoke.png

test-e2e: setup
	.ci/e2e.sh

bench: dist-keep
	CGO_ENABLED=0 $(GO) test -run '^$$' -bench . -benchtime 3x -benchmem ./backend/...

## bench-pack: asset-pack export vs libvips on 40 real photos (installs Debian wallpapers and libvips-tools if missing)
bench-pack: dist-keep
	.ci/bench-pack.sh

## kill-desktop: SIGKILL the built desktop 50 times mid-drain against a real hub, then drain: each submission on the hub exactly once (make test runs it too)
kill-desktop: build
	KILL_BUILD=0 .ci/kill-desktop.sh

## hub: the HQ hub on 127.0.0.1:8787 with the demo brand (data in .hub/; users in README)
HUB_DATA ?= .hub
HUB_ADDR ?= 127.0.0.1:8787
hub: dist-keep
	$(GO) run -ldflags "-X main.version=$(VERSION)" ./backend/cmd/hub serve --data $(HUB_DATA) --addr $(HUB_ADDR) --demo

## bench-sync: initial and no-op library sync over loopback, against curl fetching the same bytes
bench-sync: dist-keep
	backend/hubclient/bench-sync.sh

## dist-windows: cross-build outpost.exe and its NSIS installer (needs makensis: apt-get install nsis)
dist-windows: setup
	$(WAILS) build -platform windows/amd64 -nsis -ldflags "$(LDFLAGS)" -o outpost.exe

clean:
	rm -rf build/bin $(ARTIFACTS) frontend/node_modules $(HUB_DATA)
	rm -rf frontend/dist
