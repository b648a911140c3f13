// Package demo is chapter 5's demo (make ch05): Jaeger, Prometheus and the five monitored
// services as separate processes, a bounded load with slow and failing requests mixed in, then
// the on-call walk: the RED numbers per service from PromQL, the alerts that fire, the p99
// exemplar's trace from Jaeger, and the log lines of that trace. Everything stops at the end, or
// keeps running for Jaeger's UI and its Monitor tab (Config.Keep).
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
	"github.com/rpc-tracing/workbook/ch05-monitoring/internal/load"
	"github.com/rpc-tracing/workbook/ch05-monitoring/internal/promquery"
	"github.com/rpc-tracing/workbook/ch05-monitoring/monitor"
	"github.com/rpc-tracing/workbook/internal/stack"
)

// Config says where the binaries and configs are, and how long to load the chain.
type Config struct {
	Bin              string
	JaegerConfig     string
	PrometheusConfig string
	// Duration of the load. The alerts wait 30 s before firing, so a shorter run shows them
	// pending.
	Duration time.Duration
	// Keep leaves everything running until ctx ends (Ctrl-C), for exploring the traces and the
	// Monitor tab in Jaeger's UI.
	Keep bool
	// FreePorts runs everything on ports free at the time instead of the documented ones (the
	// tests set it, so they run while a demo holds those).
	FreePorts bool
}

// Program is the monitored services' program in bin/: `ch05-chain read` runs read, and so on.
const Program = "ch05-chain"

// Mix is the demo's load: enough slow and failing requests to move the p99 and the error
// ratio past the alerts' thresholds.
var Mix = []load.Kind{
	{Name: "normal", Weight: 80},
	{Name: "slow read", Query: "?slow=read", Weight: 10},
	{Name: "failing write", Query: "?fail=write", Weight: 10},
}

// Run runs the demo, writing the story to out.
func Run(ctx context.Context, cfg Config, out io.Writer) (err error) {
	services, metricsAddrs := chain.DefaultAddrs, monitor.MetricsAddrs()
	if cfg.FreePorts {
		free, err := stack.FreeAddrsFor(chain.Services)
		if err != nil {
			return err
		}
		services = chain.AddrsOf(free)
		if metricsAddrs, err = stack.FreeAddrsFor(chain.Services); err != nil {
			return err
		}
	}
	st, err := stack.New(stack.Config{Bin: cfg.Bin, JaegerConfig: cfg.JaegerConfig, WithPrometheus: true,
		// Demo-only: export spans every 200 ms instead of every 5 s.
		Env: []string{"OTEL_BSP_SCHEDULE_DELAY=200"}, Program: Program,
		FreePorts: cfg.FreePorts, ScrapeTargets: metricsAddrs})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, st.Stop()) }()
	fmt.Fprintln(out, "# starting Jaeger, Prometheus and the five services")
	if err := st.StartJaeger(ctx); err != nil {
		return err
	}
	if err := st.StartPrometheus(ctx, cfg.PrometheusConfig); err != nil {
		return err
	}
	for _, s := range chain.Services {
		if err := st.StartService(ctx, s, append(services.Flags(), monitor.Flags(metricsAddrs)...)...); err != nil {
			return err
		}
	}
	prom, err := promquery.New(st.PrometheusURL())
	if err != nil {
		return err
	}
	if err := waitTargetsUp(ctx, out, prom); err != nil {
		return err
	}
	start := time.Now()
	fmt.Fprintf(out, "\n# sending load for %s: %d%% normal, %d%% slow in read, %d%% failing in write\n",
		cfg.Duration, Mix[0].Weight, Mix[1].Weight, Mix[2].Weight)
	res, err := load.Run(ctx, load.Config{Target: "http://" + services.Listen + "/api/study",
		Duration: cfg.Duration, Concurrency: 4, Mix: Mix, Progress: out})
	if err != nil {
		return err
	}
	if err := res.Table(out); err != nil {
		return err
	}
	if err := investigate(ctx, out, prom, st, start); err != nil {
		return err
	}
	monitorTab := st.JaegerAddrs.QueryURL() + "/monitor"
	if cfg.Keep {
		fmt.Fprintf(out, "\nEverything keeps running: open %s and pick listen (Last 5 minutes) for its RED from the spans, or the trace link above. Ctrl-C stops it all.\n", monitorTab)
		<-ctx.Done()
	} else {
		fmt.Fprintf(out, "\n# Jaeger's Monitor tab (%s) opens only while Jaeger runs: `make ch05` keeps it up until Ctrl-C\n", monitorTab)
	}
	fmt.Fprintln(out, "# stopping the services, Prometheus and Jaeger")
	return nil
}
