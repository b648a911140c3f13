// Command chainbench measures chapter 4's chain under load with tracing off, at 1% and at 100%,
// Jaeger's ingest capacity, span loss below it and what happens above it, and writes the
// report as JSON for perf/cmd/perfdoc. `make bench` runs it pinned to CPU 0, with Jaeger on
// CPU 1:
//
//	taskset -c 0 bin/chainbench -out perf/results/chain.json
//
// `chainbench flood` floods Jaeger's flood receiver with spans until SIGTERM; chainbench
// starts it itself.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"time"

	"github.com/rpc-tracing/workbook/internal/cmdkit"
	"github.com/rpc-tracing/workbook/perf/chainload"
)

func main() {
	os.Exit(cmdkit.Run("chainbench", os.Stderr, func(ctx context.Context) error {
		if len(os.Args) > 1 && os.Args[1] == "flood" {
			return flood(ctx, os.Args[2:])
		}
		return measure(ctx, os.Args[1:])
	}))
}

func measure(ctx context.Context, args []string) error {
	exe, err := chainload.Executable()
	if err != nil {
		return err
	}
	p := chainload.Plan{Flood: []string{exe, "flood"}, Log: os.Stderr}
	fs := flag.NewFlagSet("chainbench", flag.ContinueOnError)
	fs.StringVar(&p.Bin, "bin", "bin", "directory with jaeger and ch04-chain, the services' program")
	fs.StringVar(&p.JaegerConfig, "jaeger-config", "perf/jaeger.yaml", "Jaeger's config")
	fs.StringVar(&p.JaegerCPUs, "jaeger-cpus", "1", "CPUs for Jaeger (a taskset list)")
	fs.StringVar(&p.ServiceCPUs, "service-cpus", "0", "CPUs for the services (run chainbench itself there too)")
	fs.IntVar(&p.Load.Concurrency, "concurrency", 8, "requests in flight in the closed-loop runs")
	fs.DurationVar(&p.Load.Duration, "duration", 15*time.Second, "length of each closed-loop run")
	fs.IntVar(&p.Repeats, "repeats", 3, "closed-loop runs per configuration")
	fs.DurationVar(&p.CapacityWindow, "capacity-window", 10*time.Second, "how long Jaeger's ingest is measured under the flood")
	fs.DurationVar(&p.LossDuration, "loss-duration", 60*time.Second, "length of the loss run")
	out := fs.String("out", "perf/results/chain.json", "where to write the report")
	if err := fs.Parse(args); err != nil {
		return err
	}
	rep, err := p.Run(ctx)
	if err != nil {
		return err
	}
	data, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(*out, append(data, '\n'), 0o644)
}

func flood(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("flood", flag.ContinueOnError)
	endpoint := fs.String("endpoint", chainload.FloodEndpoint, "OTLP gRPC endpoint to flood")
	streams := fs.Int("streams", 4, "parallel exporters")
	if err := fs.Parse(args); err != nil {
		return err
	}
	err := chainload.Flood(ctx, *endpoint, *streams)
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}
