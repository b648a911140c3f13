// Package monitor is chapter 5's addition to chapter 4's chain, as a chain.Setup: on top of the
// traces, each service gets a MeterProvider served on its own /metrics listener, and a logger
// that writes the trace and span IDs of every record logged in a request. The services' code
// does not change; only what they are given does.
package monitor

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
	"github.com/rpc-tracing/workbook/ch05-monitoring/metrics"
	"github.com/rpc-tracing/workbook/ch05-monitoring/tracelog"
)

// DefaultMetricsAddrs are where each service serves /metrics; docs/ch05-monitoring.md lists them.
var DefaultMetricsAddrs = map[string]string{
	chain.Listen: "127.0.0.1:9101",
	chain.Speak:  "127.0.0.1:9102",
	chain.Read:   "127.0.0.1:9103",
	chain.Write:  "127.0.0.1:9104",
	chain.Sing:   "127.0.0.1:9105",
}

// MetricsAddrs returns a copy of the defaults, for a program's flags to change.
func MetricsAddrs() map[string]string {
	out := make(map[string]string, len(DefaultMetricsAddrs))
	for k, v := range DefaultMetricsAddrs {
		out[k] = v
	}
	return out
}

// Flags adds -metrics-<service> flags that change addrs.
func Flags(addrs map[string]string) func(*flag.FlagSet) {
	return func(fs *flag.FlagSet) {
		for _, s := range chain.Services {
			fs.Func("metrics-"+s, s+"'s /metrics address (default "+addrs[s]+")", func(v string) error {
				addrs[s] = v
				return nil
			})
		}
	}
}

// Setup returns the chain.Setup of chapter 5: chapter 4's traces, plus metrics on addrs[service]
// and trace-correlated logs.
func Setup(addrs map[string]string) chain.Setup {
	return func(ctx context.Context, service string, logger *slog.Logger) (chain.Tracing, *slog.Logger, func(context.Context) error, error) {
		t, logger, shutdownTraces, err := chain.OTLPSetup(ctx, service, logger)
		if err != nil {
			return chain.Tracing{}, nil, nil, err
		}
		mp, handler, err := metrics.New(ctx, service)
		if err != nil {
			return chain.Tracing{}, nil, nil, errors.Join(err, shutdownTraces(ctx))
		}
		stopMetrics, err := serveMetrics(addrs[service], handler, logger)
		if err != nil {
			return chain.Tracing{}, nil, nil, errors.Join(err, mp.Shutdown(ctx), shutdownTraces(ctx))
		}
		t.Meters = mp
		shutdown := func(ctx context.Context) error {
			return errors.Join(stopMetrics(ctx), mp.Shutdown(ctx), shutdownTraces(ctx))
		}
		return t, slog.New(tracelog.New(logger.Handler())), shutdown, nil
	}
}

// serveMetrics serves handler at /metrics on addr until stop is called.
func serveMetrics(addr string, handler http.Handler, logger *slog.Logger) (stop func(context.Context) error, err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", handler)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			logger.Error("metrics server stopped", "error", err)
		}
	}()
	logger.Info("serving metrics", "addr", ln.Addr().String())
	return srv.Shutdown, nil
}

// ProgramOf is chapter 5's program for one service, or for all five when service is "all":
// chapter 4's, with Setup and the -metrics-<service> flags.
func ProgramOf(service string) chain.Program {
	p := chain.ProgramOf(service)
	addrs := MetricsAddrs()
	p.Setup, p.Flags = Setup(addrs), Flags(addrs)
	return p
}
