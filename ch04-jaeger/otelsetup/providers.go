// Package otelsetup is the services' telemetry setup: a TracerProvider per service that exports
// over OTLP (to Jaeger, or to whatever OTEL_EXPORTER_OTLP_ENDPOINT names), the W3C propagators,
// and the options that hand both to otelgrpc and otelhttp. Each service is given its providers
// explicitly, never through globals, so the five services of `all` (or of a test) each keep
// their own.
package otelsetup

import (
	"context"
	"log/slog"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/ch02-tracing-basics/telemetry"
)

// Providers is what a service hands its instrumentation.
type Providers struct {
	Tracer     trace.TracerProvider
	Propagator propagation.TextMapPropagator
	// Meter, when set, receives the instrumentation's metrics (chapter 5 sets it); without it
	// nothing is measured.
	Meter metric.MeterProvider
}

// MeterProvider returns the MeterProvider to use: a no-op one unless metrics were asked for.
func (p Providers) MeterProvider() metric.MeterProvider {
	if p.Meter == nil {
		return noop.NewMeterProvider()
	}
	return p.Meter
}

// GRPC is otelgrpc's options for these providers, for a server's or a client's stats handler.
func (p Providers) GRPC() []otelgrpc.Option {
	return []otelgrpc.Option{otelgrpc.WithTracerProvider(p.Tracer), otelgrpc.WithPropagators(p.Propagator),
		otelgrpc.WithMeterProvider(p.MeterProvider())}
}

// HTTP is otelhttp's options for these providers, for a handler or a transport.
func (p Providers) HTTP() []otelhttp.Option {
	return []otelhttp.Option{otelhttp.WithTracerProvider(p.Tracer), otelhttp.WithPropagators(p.Propagator),
		otelhttp.WithMeterProvider(p.MeterProvider())}
}

// Telemetry is one running service's telemetry: its providers, the logger it logs to, and
// Shutdown, which flushes and closes everything; call it on every way out.
type Telemetry struct {
	Providers
	Logger   *slog.Logger
	Shutdown func(context.Context) error
}

// Traces is chapter 4's telemetry for one service: traces over OTLP (see NewOTLPExporter and
// NewTracerProvider), the W3C propagators, logs unchanged.
func Traces(ctx context.Context, service string, logger *slog.Logger) (Telemetry, error) {
	exp, err := NewOTLPExporter(ctx, logger)
	if err != nil {
		return Telemetry{}, err
	}
	tp, shutdown, err := NewTracerProvider(ctx, service, exp)
	if err != nil {
		return Telemetry{}, err
	}
	return Telemetry{
		Providers: Providers{Tracer: tp, Propagator: telemetry.Propagator()},
		Logger:    logger,
		Shutdown:  shutdown,
	}, nil
}
