# The workbook's commands. `make help` lists them; `make demo` and `make test` are the two a reader
# needs first.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

GO       ?= go
BIN      := $(CURDIR)/bin
TOOLS    := $(GO) tool -modfile=tools/go.mod
GOFILES   = $(shell git ls-files --cached --others --exclude-standard '*.go')

.PHONY: help
help: ## List the targets with one line each ([internal]: used by other targets or by maintainers).
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: demo
demo: ch04-deps ## The main demo: five services traced in a real Jaeger (chapter 4).
	$(BIN)/ch04-demo

.PHONY: test
test: lint test-race exercises-verify test-e2e ## Everything CI runs: lint, unit tests under -race, the exercises' honesty, end-to-end tests.

.PHONY: test-unit
test-unit: ## go test ./... (no network, no backends).
	$(GO) test ./...

.PHONY: test-race
test-race: ## go test -race ./...
	$(GO) test -race ./...

.PHONY: exercise
# ch05/alerts is checked by promtool, built on first use.
exercise: $(if $(filter ch05/alerts,$(EX)),$(BIN)/promtool) ## Check your work on one exercise: make exercise EX=ch02/operands (make exercises lists them).
	@if [ -z "$(EX)" ]; then echo "usage: make exercise EX=chNN/name (make exercises lists them)"; exit 2; fi
	@$(GO) build -o $(BIN)/exercise ./internal/exercise/cmd/exercise
	@GO=$(GO) $(BIN)/exercise check $(EX)

.PHONY: exercises
exercises: ## List the exercises, the folder each one has you edit, and the command that checks it.
	@$(GO) run ./internal/exercise/cmd/exercise list

.PHONY: exercises-verify
exercises-verify: $(BIN)/promtool ## [internal] Prove every untouched exercise stub fails its check and every reference solution passes it.
	GO=$(GO) $(GO) run ./internal/exercise/cmd/exercise verify

.PHONY: test-e2e
test-e2e: e2e-deps ## End-to-end tests against the real Jaeger and Prometheus (they fail, never skip, without them).
	$(GO) test -race -tags e2e -count 1 -p 1 -timeout 20m ./ch04-jaeger/internal/e2e/... ./ch04-jaeger/internal/production/... ./ch05-monitoring/... ./perf/chainload/... ./internal/uitest/...

.PHONY: lint
lint: vet fmt-check staticcheck proto-check ## [internal] go vet, gofmt check, staticcheck, generated code in sync.

.PHONY: vet
vet: ## [internal] go vet ./... (plain, and with the e2e and exercise build tags)
	$(GO) vet ./...
	$(GO) vet -tags e2e ./...
	$(GO) vet -tags exercise ./...

.PHONY: fmt-check
fmt-check: ## [internal] Fail if any Go file is not gofmt-formatted.
	@out=$$(gofmt -l $(GOFILES)); if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

.PHONY: staticcheck
staticcheck: ## [internal] staticcheck ./... (run through go tool, pinned in tools/go.mod).
	$(TOOLS) staticcheck ./...

# Chapters with .proto files; each has its buf.yaml and buf.gen.yaml.
PROTO_DIRS := ch03-grpc ch04-jaeger
buf_generate = $(TOOLS) buf generate $(1) --template $(1)/buf.gen.yaml

.PHONY: proto
proto: ## [internal] Regenerate the gRPC code from the .proto files (buf + protoc-gen-go, no system protoc).
	$(foreach d,$(PROTO_DIRS),$(call buf_generate,$(d)) &&) true

.PHONY: proto-check
proto-check: ## [internal] Fail if the checked-in generated code differs from what `make proto` would write.
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	for d in $(PROTO_DIRS); do \
	  $(TOOLS) buf generate $$d --template $$d/buf.gen.yaml -o "$$tmp"; \
	  if ! diff -r "$$tmp/$$d/proto" $$d/proto -x '*.proto' >/dev/null; then \
	    diff -r "$$tmp/$$d/proto" $$d/proto -x '*.proto'; \
	    echo "generated code in $$d is out of date: run make proto"; exit 1; \
	  fi; \
	done; echo "generated code is in sync"

# The real backends are built from Go modules, each in a module of its own under tools/ so their
# huge dependency graphs stay out of the workbook's go.mod. A binary is rebuilt only when its
# module files change.
.PHONY: backends
backends: $(BIN)/jaeger $(BIN)/prometheus $(BIN)/promtool ## Build Jaeger and Prometheus into bin/ (first time: about 15 minutes; start it early).

# region: jaeger-build
$(BIN)/jaeger: tools/jaeger/go.mod tools/jaeger/go.sum
	@echo "# building Jaeger v2 into bin/jaeger from Go modules: about 12 minutes the first time, seconds afterwards"
	cd tools/jaeger && $(GO) build -o $@ github.com/jaegertracing/jaeger/cmd/jaeger
# endregion

$(BIN)/prometheus: tools/prometheus/go.mod tools/prometheus/go.sum
	@echo "# building Prometheus into bin/prometheus from Go modules: about 14 minutes the first time, seconds afterwards"
	cd tools/prometheus && $(GO) build -o $@ github.com/prometheus/prometheus/cmd/prometheus

.PHONY: promtool
promtool: $(BIN)/promtool ## [internal] Build Prometheus's promtool into bin/ (chapter 5's alerts exercise uses it).

$(BIN)/promtool: tools/prometheus/go.mod tools/prometheus/go.sum
	@echo "# building promtool into bin/promtool"
	cd tools/prometheus && $(GO) build -o $@ github.com/prometheus/prometheus/cmd/promtool

# Jaeger's web UI is a project of its own (jaegertracing/jaeger-ui), built with Node.js from its
# pinned release; every Jaeger the workbook starts serves bin/jaeger-ui when it is there.
.PHONY: jaeger-ui
jaeger-ui: ## Build Jaeger's web UI into bin/jaeger-ui/ (needs Node.js and npm; first time about 5 minutes).
	scripts/jaeger-ui.sh

.PHONY: screenshots
screenshots: backends ch04-bins ch05-bins jaeger-ui ## [internal] Take the Jaeger UI pictures in docs/img/ from a real run (headless Chromium, ~6 minutes: the Monitor tab needs minutes of traffic).
	$(GO) run ./internal/uitest/cmd/screenshots -out docs/img

# What each demo needs, built side by side on a first run (Go builds Jaeger and Prometheus while
# npm builds the UI): a sub-make with -j. Afterwards each is up to date in a second.
.PHONY: ch04-deps ch05-deps e2e-deps
ch04-deps: ## [internal] Build what chapter 4's demos run: Jaeger, the UI when npm is there, the programs.
	@$(MAKE) -s --no-print-directory -j3 $(BIN)/jaeger jaeger-ui-if-node ch04-bins
ch05-deps: ## [internal] Build what chapter 5's demo runs: Jaeger, Prometheus, the UI when npm is there, the programs.
	@$(MAKE) -s --no-print-directory -j4 $(BIN)/jaeger $(BIN)/prometheus jaeger-ui-if-node ch05-bins
e2e-deps: ## [internal] Build everything the end-to-end tests start, the UI included.
	@$(MAKE) -s --no-print-directory -j4 $(BIN)/jaeger $(BIN)/prometheus $(BIN)/promtool jaeger-ui ch04-bins ch05-bins perf-bins

# The demos build the UI when they can, and run without it when they cannot.
.PHONY: jaeger-ui-if-node
jaeger-ui-if-node:
	@if ! command -v npm >/dev/null; then \
	  echo "# no npm: Jaeger runs without its web UI (install Node.js and npm, then run make jaeger-ui)"; \
	elif ! scripts/jaeger-ui.sh; then \
	  echo "# the Jaeger UI did not build (see above): Jaeger runs without it"; \
	fi

.PHONY: ch01
ch01: ## Chapter 1: net/rpc calculator server and client.
	scripts/ch01-demo.sh

.PHONY: ch02
ch02: ## Chapter 2: a trace ID by hand, then OpenTelemetry, then net/rpc traced.
	@echo "# step 1: a trace ID by hand (go run ./ch02-tracing-basics/cmd/handmade)"
	@$(GO) run ./ch02-tracing-basics/cmd/handmade
	@echo
	@echo "# step 2: the OpenTelemetry SDK and stdouttrace (go run ./ch02-tracing-basics/cmd/otelsdk)"
	@$(GO) run ./ch02-tracing-basics/cmd/otelsdk
	@echo
	@echo "# step 3: net/rpc instrumented with otelnetrpc (go run ./ch02-tracing-basics/cmd/traced)"
	@$(GO) run ./ch02-tracing-basics/cmd/traced

.PHONY: ch03
ch03: ## Chapter 3: the calculator over gRPC with otelgrpc.
	scripts/ch03-demo.sh

.PHONY: ch04
ch04: ch04-deps ## Chapter 4: the demo, left running until Ctrl-C so you can explore.
	$(BIN)/ch04-demo -keep

.PHONY: ch04-production
ch04-production: ch04-deps ## docs/production.md's topology: tail sampling in a collector tier, storage on Badger.
	$(BIN)/ch04-production

CH04_PROGRAMS := chain demo production

.PHONY: ch04-bins
ch04-bins: ## [internal] Build chapter 4's programs into bin/ch04-*.
	$(foreach p,$(CH04_PROGRAMS),$(GO) build -o $(BIN)/ch04-$(p) ./ch04-jaeger/cmd/$(p) &&) true

.PHONY: ch05
ch05: ch05-deps ## Chapter 5: load the chain, then RED from Prometheus, alerts, an exemplar's trace and its logs; left running until Ctrl-C for Jaeger's Monitor tab.
	$(BIN)/ch05-demo -keep

CH05_PROGRAMS := chain demo

.PHONY: ch05-bins
ch05-bins: ## [internal] Build chapter 5's programs into bin/ch05-*.
	$(foreach p,$(CH05_PROGRAMS),$(GO) build -o $(BIN)/ch05-$(p) ./ch05-monitoring/cmd/$(p) &&) true

.PHONY: docs
docs: ## [internal] Regenerate the code blocks in docs/ marked <!-- snippet: file --> from the files they name.
	$(GO) run ./internal/docsnippet/cmd/docgen

.PHONY: perf-bins
perf-bins: ## [internal] Build the benchmarks' chain driver into bin/chainbench.
	$(GO) build -o $(BIN)/chainbench ./perf/cmd/chainbench

.PHONY: bench
bench: backends ch04-bins perf-bins ## Measure what tracing costs and regenerate docs/performance.md (about 14 minutes).
	scripts/bench.sh

.PHONY: clean
clean: ## Delete bin/ (Jaeger, Prometheus, promtool, the Jaeger UI and the programs: about 800 MB; rebuilding takes about 20 minutes) and coverage files.
	rm -rf $(BIN) coverage.out coverage.html

not_yet = echo "chapter $(1) is not yet available: see the open issues." >&2; exit 1
