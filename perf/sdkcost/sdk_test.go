package sdkcost_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// providers are the ways a program can be set up, from no tracing at all to every span kept.
func providers(tb testing.TB) []struct {
	name string
	tp   trace.TracerProvider
} {
	sdk := func(s sdktrace.Sampler) trace.TracerProvider {
		// The no-op exporter drops what it is sent: the figures are the SDK's, not an exporter's I/O.
		tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(s), sdktrace.WithBatcher(tracetest.NewNoopExporter()))
		tb.Cleanup(func() { require.NoError(tb, tp.Shutdown(context.Background())) })
		return tp
	}
	return []struct {
		name string
		tp   trace.TracerProvider
	}{
		{"noop", noop.NewTracerProvider()},
		{"always-off", sdk(sdktrace.NeverSample())},
		{"ratio-1pct", sdk(sdktrace.TraceIDRatioBased(0.01))},
		{"always-on", sdk(sdktrace.AlwaysSample())},
	}
}

// TestProvidersRecordWhatTheirNameSays makes sure the benchmarks measure what they say: only the
// always-on provider records, the others hand out spans that record nothing.
func TestProvidersRecordWhatTheirNameSays(t *testing.T) {
	for _, p := range providers(t) {
		_, span := p.tp.Tracer("bench").Start(context.Background(), "op")
		assert.Equal(t, p.name == "always-on", span.IsRecording(), p.name)
		span.End()
	}
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	startEnd(context.Background(), tp.Tracer("bench"), 4, 1)
	require.Len(t, rec.Ended(), 1)
	assert.Len(t, rec.Ended()[0].Attributes(), 4)
	assert.Len(t, rec.Ended()[0].Events(), 1)
}

// attrs are the attributes a span gets: the size of a typical RPC span's set.
var attrs = []attribute.KeyValue{
	attribute.String("rpc.system.name", "grpc"),
	attribute.String("rpc.method", "calculator.v1.CalculatorService/Add"),
	attribute.String("server.address", "127.0.0.1"),
	attribute.Int("server.port", 50051),
	attribute.Int64("calc.a", 2),
	attribute.Int64("calc.b", 3),
	attribute.String("student", "Ada"),
	attribute.Bool("cache.hit", false),
}

// startEnd starts and ends one span with the first nAttrs attributes and nEvents events.
func startEnd(ctx context.Context, tracer trace.Tracer, nAttrs, nEvents int) {
	_, span := tracer.Start(ctx, "op", trace.WithSpanKind(trace.SpanKindServer))
	if nAttrs > 0 {
		span.SetAttributes(attrs[:nAttrs]...)
	}
	for range nEvents {
		span.AddEvent("message", trace.WithAttributes(attribute.Int("size", 12)))
	}
	span.End()
}

// BenchmarkSpan is one span started and ended, nothing else, under each provider.
func BenchmarkSpan(b *testing.B) {
	for _, p := range providers(b) {
		b.Run("provider="+p.name, func(b *testing.B) {
			tracer := p.tp.Tracer("bench")
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				startEnd(ctx, tracer, 0, 0)
			}
		})
	}
}

// BenchmarkSpanContents is a recorded span with attributes or events: what each adds on top of
// the bare span of BenchmarkSpan/provider=always-on.
func BenchmarkSpanContents(b *testing.B) {
	// The no-op exporter drops what it is sent: the figures are the SDK's, not an exporter's I/O.
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(tracetest.NewNoopExporter()))
	b.Cleanup(func() { require.NoError(b, tp.Shutdown(context.Background())) })
	tracer := tp.Tracer("bench")
	ctx := context.Background()
	for _, c := range []struct {
		name          string
		attrs, events int
	}{
		{"bare", 0, 0},
		{"attrs-4", 4, 0},
		{"attrs-8", 8, 0},
		{"events-1", 0, 1},
		{"events-4", 0, 4},
	} {
		b.Run("contents="+c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				startEnd(ctx, tracer, c.attrs, c.events)
			}
		})
	}
}
