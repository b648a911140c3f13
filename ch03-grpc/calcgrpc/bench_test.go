package calcgrpc_test

import (
	"context"
	"log/slog"
	"net"
	"testing"

	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/rpc-tracing/workbook/ch03-grpc/calcgrpc"
	calculatorv1 "github.com/rpc-tracing/workbook/ch03-grpc/proto/calculator/v1"
)

// discard drops exported spans: the benchmark measures instrumentation, not an exporter's I/O.
type discard struct{}

func (discard) ExportSpans(context.Context, []sdktrace.ReadOnlySpan) error { return nil }
func (discard) Shutdown(context.Context) error                             { return nil }

// BenchmarkUnary measures one Add over loopback TCP: plain gRPC, traced with every span exported
// (batch processor, discarding exporter), and traced with 1% of traces sampled.
func BenchmarkUnary(b *testing.B) {
	b.Run("untraced", func(b *testing.B) {
		srv := grpc.NewServer()
		calculatorv1.RegisterCalculatorServiceServer(srv, calcgrpc.NewService(0))
		addr := serveBench(b, func(ln net.Listener) error { return srv.Serve(ln) }, srv.Stop)
		conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
		require.NoError(b, err)
		defer conn.Close()
		runUnary(b, calculatorv1.NewCalculatorServiceClient(conn))
	})
	for _, bc := range []struct {
		name    string
		sampler sdktrace.Sampler
	}{
		{"traced", sdktrace.AlwaysSample()},
		{"sampled-1pct", sdktrace.ParentBased(sdktrace.TraceIDRatioBased(0.01))},
	} {
		b.Run(bc.name, func(b *testing.B) {
			tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(bc.sampler), sdktrace.WithBatcher(discard{}))
			defer func() { require.NoError(b, tp.Shutdown(context.Background())) }()
			srv := calcgrpc.NewServer(calcgrpc.ServerConfig{
				TracerProvider: tp, Propagators: propagators(), Logger: slog.New(slog.DiscardHandler),
			})
			ctx, cancel := context.WithCancel(context.Background())
			addr := serveBench(b, func(ln net.Listener) error { return srv.Serve(ctx, ln) }, cancel)
			conn, err := calcgrpc.NewClient(addr, tp, propagators())
			require.NoError(b, err)
			defer conn.Close()
			runUnary(b, calculatorv1.NewCalculatorServiceClient(conn))
		})
	}
}

// serveBench runs serve on a loopback port until the benchmark ends.
func serveBench(b *testing.B, serve func(net.Listener) error, stop func()) string {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(b, err)
	done := make(chan error, 1)
	go func() { done <- serve(ln) }()
	b.Cleanup(func() {
		stop()
		require.NoError(b, <-done)
	})
	return ln.Addr().String()
}

func runUnary(b *testing.B, client calculatorv1.CalculatorServiceClient) {
	b.Helper()
	ctx := context.Background()
	b.ReportAllocs()
	for i := int64(0); b.Loop(); i++ {
		if _, err := client.Add(ctx, &calculatorv1.Operands{A: i, B: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
