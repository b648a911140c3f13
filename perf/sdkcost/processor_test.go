package sdkcost_test

import (
	"context"
	"net"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/grpc"
)

// receiver is the smallest OTLP trace receiver: it counts the spans it is sent and keeps none.
type receiver struct {
	collectortrace.UnimplementedTraceServiceServer
	spans atomic.Int64
}

func (r *receiver) Export(_ context.Context, req *collectortrace.ExportTraceServiceRequest) (*collectortrace.ExportTraceServiceResponse, error) {
	for _, rs := range req.ResourceSpans {
		for _, ss := range rs.ScopeSpans {
			r.spans.Add(int64(len(ss.Spans)))
		}
	}
	return &collectortrace.ExportTraceServiceResponse{}, nil
}

// startReceiver serves a receiver on a loopback port until the test ends.
func startReceiver(tb testing.TB) (*receiver, string) {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(tb, err)
	srv := grpc.NewServer()
	rec := &receiver{}
	collectortrace.RegisterTraceServiceServer(srv, rec)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	tb.Cleanup(func() {
		srv.Stop()
		require.NoError(tb, <-done)
	})
	return rec, ln.Addr().String()
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
		assert.EqualValues(t, 10, rec.spans.Load(), "batch=%t", batch)
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
