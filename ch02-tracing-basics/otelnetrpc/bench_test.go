package otelnetrpc_test

import (
	"context"
	"log/slog"
	"net"
	"net/rpc"
	"testing"

	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch02-tracing-basics/otelnetrpc"
)

// discard is an exporter that drops spans, so a benchmark measures the instrumentation and the
// batch processor, not an exporter's I/O.
type discard struct{}

func (discard) ExportSpans(context.Context, []sdktrace.ReadOnlySpan) error { return nil }
func (discard) Shutdown(context.Context) error                             { return nil }

// quiet keeps the server's log lines out of the benchmark's output, where they would break benchstat.
var quiet = calc.WithLogger(slog.New(slog.DiscardHandler))

// BenchmarkCall measures one Calculator.Add round trip over loopback TCP with the gob codec:
// plain net/rpc, traced with every span exported, and traced with 1% of traces sampled.
func BenchmarkCall(b *testing.B) {
	b.Run("mode=untraced", func(b *testing.B) {
		srv, err := calc.NewServer(quiet)
		require.NoError(b, err)
		conn, err := net.Dial("tcp", serve(b, srv))
		require.NoError(b, err)
		client := rpc.NewClient(conn) // plain net/rpc: the baseline
		defer client.Close()
		runCalls(b, func(_ context.Context, method string, args, reply any) error {
			return client.Call(method, args, reply)
		})
	})
	for _, bc := range []struct {
		name    string
		sampler sdktrace.Sampler
	}{
		{"traced", sdktrace.AlwaysSample()},
		{"sampled-1pct", sdktrace.ParentBased(sdktrace.TraceIDRatioBased(0.01))},
	} {
		b.Run("mode="+bc.name, func(b *testing.B) {
			tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(bc.sampler), sdktrace.WithBatcher(discard{}))
			defer func() { require.NoError(b, tp.Shutdown(context.Background())) }()
			opts := []otelnetrpc.Option{otelnetrpc.WithTracerProvider(tp), otelnetrpc.WithPropagators(propagator())}
			codecs, err := otelnetrpc.ServerCodecs(otelnetrpc.Gob, opts...)
			require.NoError(b, err)
			srv, err := calc.NewServer(calc.WithServerCodec(codecs), quiet)
			require.NoError(b, err)
			client, err := otelnetrpc.Dial(context.Background(), serve(b, srv), otelnetrpc.Gob, opts...)
			require.NoError(b, err)
			defer client.Close()
			runCalls(b, client.Call)
		})
	}
}

func runCalls(b *testing.B, call func(ctx context.Context, method string, args, reply any) error) {
	b.Helper()
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		var reply calc.Reply
		if err := call(ctx, "Calculator.Add", &calc.Args{A: i, B: 1}, &reply); err != nil {
			b.Fatal(err)
		}
	}
}
