package sdkcost_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/rpc-tracing/workbook/internal/otlpsink"
)

// startReceiver serves an OTLP receiver that counts spans on a loopback port until the test ends.
func startReceiver(tb testing.TB) (*otlpsink.Sink, string) {
	tb.Helper()
	sink, err := otlpsink.Start()
	require.NoError(tb, err)
	tb.Cleanup(func() { require.NoError(tb, sink.Stop()) })
	return sink, sink.Addr
}

// otlpProvider is a TracerProvider exporting over real OTLP gRPC to addr through a simple
// (synchronous, one export per span) or a batch processor.
func otlpProvider(tb testing.TB, addr string, batch bool) *sdktrace.TracerProvider {
	tb.Helper()
	exp, err := otlptracegrpc.New(context.Background(), otlptracegrpc.WithEndpoint(addr), otlptracegrpc.WithInsecure())
	require.NoError(tb, err)
	opt := sdktrace.WithSyncer(exp)
	if batch {
		opt = sdktrace.WithBatcher(exp)
	}
	return sdktrace.NewTracerProvider(opt)
}

func TestBothProcessorsDeliverEverySpan(t *testing.T) {
	for _, batch := range []bool{false, true} {
		rec, addr := startReceiver(t)
		tp := otlpProvider(t, addr, batch)
		for range 10 {
			startEnd(context.Background(), tp.Tracer("test"), 4, 0)
		}
		require.NoError(t, tp.Shutdown(context.Background())) // flushes the batch
		assert.EqualValues(t, 10, rec.Spans(), "batch=%t", batch)
	}
}

// BenchmarkProcessor is what the caller of span.End pays with each processor when spans go
// over OTLP to a receiver on loopback: the simple processor exports each span before End
// returns; the batch processor queues it and exports 512 at a time from its own goroutine.
func BenchmarkProcessor(b *testing.B) {
	for _, p := range []struct {
		name  string
		batch bool
	}{{"simple", false}, {"batch", true}} {
		b.Run("processor="+p.name, func(b *testing.B) {
			_, addr := startReceiver(b)
			tp := otlpProvider(b, addr, p.batch)
			defer func() { require.NoError(b, tp.Shutdown(context.Background())) }()
			tracer := tp.Tracer("bench")
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				startEnd(ctx, tracer, 4, 0)
			}
		})
	}
}
