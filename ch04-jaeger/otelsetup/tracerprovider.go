package otelsetup

import (
	"context"
	"log/slog"
	"os"
	"sync"
	"time"

	"go.opentelemetry.io/contrib/processors/baggagecopy"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/backoff"

	"github.com/rpc-tracing/workbook/ch02-tracing-basics/telemetry"
)

// ReconnectMaxDelay is the longest an exporter waits between attempts to reach its collector
// again after losing it (gRPC's default is two minutes).
const ReconnectMaxDelay = 5 * time.Second

// DefaultOTLPEndpoint is where spans go when OTEL_EXPORTER_OTLP_ENDPOINT (or its _TRACES_
// variant) is not set: Jaeger's OTLP gRPC receiver on loopback, without TLS.
const DefaultOTLPEndpoint = "127.0.0.1:4317"

// NewTracerProvider sets up tracing for one service: chapter 2's setup with its service.name,
// an exporter, batches sized for a busy service, and a processor that copies the request's
// baggage onto every span as it starts, so the student and request ID appear on every span of
// every service without any code in the handlers. Call shutdown on every way out: it flushes
// the last batch.
func NewTracerProvider(ctx context.Context, service string, exp sdktrace.SpanExporter) (*sdktrace.TracerProvider, func(context.Context) error, error) {
	sampler, stopSampler, err := remoteSampler(service)
	if err != nil {
		return nil, nil, err
	}
	tp, shutdown, err := telemetry.NewTracerProvider(ctx, telemetry.Config{
		ServiceName: service,
		Exporter:    exp,
		Sampler:     sampler, // nil unless the environment asks for Jaeger's remote sampling
		Processors:  []sdktrace.SpanProcessor{baggagecopy.NewSpanProcessor(baggagecopy.AllowAllMembers)},
		// Larger batches than the SDK's, unless the environment sizes them (see batchOptions).
		BatchOptions: batchOptions(),
	})
	if err != nil {
		stopSampler()
		return nil, nil, err
	}
	return tp, func(ctx context.Context) error {
		defer stopSampler()
		return shutdown(ctx)
	}, nil
}

// NewOTLPExporter returns an OTLP gRPC exporter. The standard variables configure it
// (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, _HEADERS, _TIMEOUT, …);
// without them it sends to DefaultOTLPEndpoint. Failures are logged once per outage (see
// outageLogger), never per span, and never reach a request: spans leave through the batch
// processor's own goroutine.
func NewOTLPExporter(ctx context.Context, logger *slog.Logger) (sdktrace.SpanExporter, error) {
	// Retry a failed export for 10 s at most (the default is a minute): long enough to ride out
	// a collector restart, short enough that an outage is reported, and a stopping service
	// exits, in seconds.
	opts := []otlptracegrpc.Option{
		otlptracegrpc.WithRetry(otlptracegrpc.RetryConfig{
			Enabled: true, InitialInterval: 500 * time.Millisecond, MaxInterval: 2 * time.Second, MaxElapsedTime: 10 * time.Second,
		}),
		// After an outage gRPC waits longer and longer between attempts to reconnect, up to two
		// minutes by default: spans would keep being dropped for up to two minutes after the
		// collector is back. The collector is close by, so try again every few seconds at most.
		otlptracegrpc.WithDialOption(grpc.WithConnectParams(grpc.ConnectParams{
			Backoff:           backoff.Config{BaseDelay: time.Second, Multiplier: 1.6, Jitter: 0.2, MaxDelay: ReconnectMaxDelay},
			MinConnectTimeout: 5 * time.Second,
		})),
	}
	if os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") == "" && os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") == "" {
		// Only when the environment says nothing: options in code would override it.
		opts = append(opts, otlptracegrpc.WithEndpoint(DefaultOTLPEndpoint), otlptracegrpc.WithInsecure())
	}
	exp, err := otlptracegrpc.New(ctx, opts...)
	if err != nil {
		return nil, err
	}
	return &outageLogger{SpanExporter: exp, logger: logger}, nil
}

// outageLogger reports an exporter's failures once when they start and once when they end.
// Without it a down collector produces an error for every batch, which buries every other log
// line; with it the log says "down since" and "back".
type outageLogger struct {
	sdktrace.SpanExporter
	logger *slog.Logger
	mu     sync.Mutex
	down   bool
	lost   int
}

// ExportSpans exports, and swallows the error after logging it: the batch processor would only
// hand it to the global error handler, once per batch.
func (o *outageLogger) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	err := o.SpanExporter.ExportSpans(ctx, spans)
	o.mu.Lock()
	defer o.mu.Unlock()
	switch {
	case err != nil && !o.down:
		o.down, o.lost = true, len(spans)
		o.logger.Warn("span export failing; spans are dropped until it recovers (requests are not affected)", "error", err)
	case err != nil:
		o.lost += len(spans)
	case o.down:
		o.logger.Info("span export recovered", "spans_lost", o.lost)
		o.down, o.lost = false, 0
	}
	return nil
}
