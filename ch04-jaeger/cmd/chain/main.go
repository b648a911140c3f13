// Command chain runs chapter 4's services: `chain all` runs the five in one process, like
// HotROD's `hotrod all` (one command to start, one Ctrl-C to stop; each service keeps its own
// listener, TracerProvider and service.name), and `chain listen` … `chain sing` runs one alone.
// Flags set the services' addresses and the fault knobs' delay (`chain all -h` lists them); the
// standard OTEL_* variables set the exporter (OTEL_EXPORTER_OTLP_ENDPOINT, default
// 127.0.0.1:4317) and the sampler.
package main

import (
	"context"
	"flag"
	"os"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
	"github.com/rpc-tracing/workbook/ch04-jaeger/otelsetup"
	"github.com/rpc-tracing/workbook/internal/cmdkit"
)

func main() {
	os.Exit(cmdkit.Run("chain", os.Stderr, func(ctx context.Context) error {
		fs := flag.NewFlagSet("chain", flag.ContinueOnError)
		return chain.RunCommandLine(ctx, fs, os.Args[1:], otelsetup.Traces)
	}))
}
