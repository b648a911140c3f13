// Command chain runs chapter 4's services with chapter 5's monitoring, with the same commands
// (`chain all`, `chain listen` … `chain sing`) and flags as chapter 4's. Each service exports
// traces over OTLP, serves metrics on its own /metrics listener (-metrics-<service> flags) and
// logs the trace and span IDs of every request it logs about.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
	"github.com/rpc-tracing/workbook/ch05-monitoring/monitor"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "chain:", err)
		os.Exit(1)
	}
}

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("chain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	metricsAddrs := monitor.MetricsAddrs()
	monitor.RegisterFlags(fs, metricsAddrs)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return chain.RunCommandLine(ctx, fs, args, monitor.Telemetry(metricsAddrs))
}
