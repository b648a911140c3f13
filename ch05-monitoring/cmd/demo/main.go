// Command demo is chapter 5's demo: Jaeger, Prometheus and the five monitored services as real
// processes, a bounded load, then the numbers, the alerts, an exemplar's trace and its log lines.
// `make ch05` runs it with -keep, which leaves everything running for Jaeger's UI.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/rpc-tracing/workbook/ch05-monitoring/internal/demo"
	"github.com/rpc-tracing/workbook/internal/cmdkit"
)

func main() {
	var cfg demo.Config
	flag.StringVar(&cfg.Bin, "bin", "bin", "directory with jaeger, prometheus and the ch05-* binaries")
	flag.StringVar(&cfg.JaegerConfig, "jaeger-config", "ch05-monitoring/jaeger/config.yaml", "Jaeger's config file")
	flag.StringVar(&cfg.PrometheusConfig, "prometheus-config", "ch05-monitoring/prometheus/prometheus.yml", "Prometheus's config file")
	flag.DurationVar(&cfg.Duration, "duration", 40*time.Second, "how long to send load (the alerts need 30 s to fire)")
	flag.BoolVar(&cfg.Keep, "keep", false, "keep everything running until Ctrl-C")
	flag.Parse()
	os.Exit(cmdkit.Run("demo", os.Stderr, func(ctx context.Context) error {
		if flag.NArg() > 0 {
			return fmt.Errorf("unexpected arguments %q", flag.Args())
		}
		return demo.Run(ctx, cfg, os.Stdout)
	}))
}
