// Command write runs chapter 4's write service alone; `all` runs the five in one process. Flags set the
// services' addresses and the fault knobs' delay; the standard OTEL_* variables set the exporter
// (OTEL_EXPORTER_OTLP_ENDPOINT, default 127.0.0.1:4317) and the sampler.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := chain.Run(ctx, chain.Write, os.Args[1:], os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "write:", err)
		os.Exit(1)
	}
}
