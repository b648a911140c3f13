// Command chain runs chapter 4's services with chapter 5's monitoring, with the same commands
// (`chain all`, `chain listen` … `chain sing`) and flags as chapter 4's. Each service exports
// traces over OTLP, serves metrics on its own /metrics listener (-metrics-<service> flags) and
// logs the trace and span IDs of every request it logs about.
package main

import (
	"context"
	"flag"
	"os"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
	"github.com/rpc-tracing/workbook/ch05-monitoring/monitor"
	"github.com/rpc-tracing/workbook/internal/cmdkit"
)

func main() {
	os.Exit(cmdkit.Run("chain", os.Stderr, func(ctx context.Context) error {
		fs := flag.NewFlagSet("chain", flag.ContinueOnError)
		metricsAddrs := monitor.MetricsAddrs()
		monitor.RegisterFlags(fs, metricsAddrs)
		return chain.RunCommandLine(ctx, fs, os.Args[1:], monitor.Telemetry(metricsAddrs))
	}))
}
