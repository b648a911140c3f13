// Package monitor is chapter 5's addition to chapter 4's chain, as the telemetry chain.Run gives
// each service: on top of the
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
	"github.com/rpc-tracing/workbook/ch04-jaeger/listen"
	"github.com/rpc-tracing/workbook/ch04-jaeger/otelsetup"
	"github.com/rpc-tracing/workbook/ch04-jaeger/read"
	"github.com/rpc-tracing/workbook/ch04-jaeger/sing"
	"github.com/rpc-tracing/workbook/ch04-jaeger/speak"
	"github.com/rpc-tracing/workbook/ch04-jaeger/write"
	"github.com/rpc-tracing/workbook/ch05-monitoring/metrics"
	"github.com/rpc-tracing/workbook/ch05-monitoring/tracelog"
)

// DefaultMetricsAddrs are where each service serves /metrics; docs/ch05-monitoring.md lists them.
var DefaultMetricsAddrs = map[string]string{
	listen.Name: "127.0.0.1:9101",
	speak.Name:  "127.0.0.1:9102",
	read.Name:   "127.0.0.1:9103",
	write.Name:  "127.0.0.1:9104",
	sing.Name:   "127.0.0.1:9105",
}

// MetricsAddrs returns a copy of the defaults, for a program's flags to change.
func MetricsAddrs() map[string]string {
	out := make(map[string]string, len(DefaultMetricsAddrs))
	for k, v := range DefaultMetricsAddrs {
		out[k] = v
	}
	return out
}

// RegisterFlags adds -metrics-<service> flags that change addrs to fs.
func RegisterFlags(fs *flag.FlagSet, addrs map[string]string) {
	for _, s := range chain.Services {
		fs.Func("metrics-"+s, s+"'s /metrics address (default "+addrs[s]+")", func(v string) error {
			addrs[s] = v
			return nil
		})
	}
}

// Flags returns the -metrics-<service> flags that set a program's /metrics addresses to addrs,
// as RegisterFlags reads them.
func Flags(addrs map[string]string) []string {
	var flags []string
	for _, s := range chain.Services {
		if addr, ok := addrs[s]; ok {
			flags = append(flags, "-metrics-"+s, addr)
		}
	}
	return flags
}

// Telemetry returns chapter 5's telemetry for chain.Run: chapter 4's traces, plus metrics on
// addrs[service] and trace-correlated logs.
func Telemetry(addrs map[string]string) func(ctx context.Context, service string, logger *slog.Logger) (otelsetup.Telemetry, error) {
	return func(ctx context.Context, service string, logger *slog.Logger) (otelsetup.Telemetry, error) {
		tel, err := otelsetup.Traces(ctx, service, logger)
		if err != nil {
			return otelsetup.Telemetry{}, err
		}
		mp, handler, err := metrics.New(ctx, service)
		if err != nil {
			return otelsetup.Telemetry{}, errors.Join(err, tel.Shutdown(ctx))
		}
		stopMetrics, err := serveMetrics(addrs[service], handler, logger)
		if err != nil {
			return otelsetup.Telemetry{}, errors.Join(err, mp.Shutdown(ctx), tel.Shutdown(ctx))
		}
		shutdownTraces := tel.Shutdown
		tel.Meter = mp
		tel.Logger = slog.New(tracelog.New(logger.Handler()))
		tel.Shutdown = func(ctx context.Context) error {
			return errors.Join(stopMetrics(ctx), mp.Shutdown(ctx), shutdownTraces(ctx))
		}
		return tel, nil
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
