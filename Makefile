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
help: ## List the targets with one line each.
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: demo
demo: ch01 ## Run the main demo (chapter 1's until chapter 4 exists).

.PHONY: test
test: lint test-race test-e2e ## Everything CI runs: lint, unit tests under -race, end-to-end tests.

.PHONY: test-unit
test-unit: ## go test ./... (no network, no backends).
	$(GO) test ./...

.PHONY: test-race
test-race: ## go test -race ./...
	$(GO) test -race ./...

.PHONY: test-e2e
test-e2e: ## End-to-end tests against real backends (from chapter 4 on).
	@echo "test-e2e: no end-to-end tests yet: the real Jaeger and Prometheus arrive with chapters 4 and 5."

.PHONY: lint
lint: vet fmt-check staticcheck ## go vet, gofmt check and staticcheck.

.PHONY: vet
vet: ## go vet ./...
	$(GO) vet ./...

.PHONY: fmt-check
fmt-check: ## Fail if any Go file is not gofmt-formatted.
	@out=$$(gofmt -l $(GOFILES)); if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

.PHONY: staticcheck
staticcheck: ## staticcheck ./... (run through go tool, pinned in tools/go.mod).
	$(TOOLS) staticcheck ./...

.PHONY: ch01
ch01: ## Chapter 1: net/rpc calculator server and client.
	scripts/ch01-demo.sh

.PHONY: ch02
ch02: ## Chapter 2: a trace ID by hand, then OpenTelemetry, then net/rpc traced.
	@$(call not_yet,2)

.PHONY: ch03
ch03: ## Chapter 3: the calculator over gRPC with otelgrpc.
	@$(call not_yet,3)

.PHONY: ch04
ch04: ## Chapter 4: five services traced in a real Jaeger.
	@$(call not_yet,4)

.PHONY: ch05
ch05: ## Chapter 5: metrics in a real Prometheus, exemplars, alerts.
	@$(call not_yet,5)

.PHONY: bench
bench: ## Run the benchmarks (go test -bench).
	$(GO) test -run '^$$' -bench . -benchmem ./...

.PHONY: clean
clean: ## Remove built binaries and coverage files.
	rm -rf $(BIN) coverage.out coverage.html

not_yet = echo "chapter $(1) is not yet available: see the open issues." >&2; exit 1
