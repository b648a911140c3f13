package suite

import (
	"context"
	"net"
	"testing"

	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
)

// discard is an exporter that drops spans, so a benchmark measures the instrumentation and the
// batch processor, not an exporter's I/O.
type discard struct{}

func (discard) ExportSpans(context.Context, []sdktrace.ReadOnlySpan) error { return nil }
func (discard) Shutdown(context.Context) error                             { return nil }

// Bench measures one Calculator.Add round trip over loopback TCP, in three sub-benchmarks:
// mode=untraced (plain net/rpc, the baseline), mode=traced (impl on both sides, every span
// recorded) and mode=sampled-1pct (ParentBased(TraceIDRatioBased(0.01))).
func Bench(b *testing.B, impl Impl) {
	b.Run("mode=untraced", func(b *testing.B) {
		srv, err := calc.NewServer(calc.WithCodec(impl.Codec), Quiet)
		require.NoError(b, err)
		conn, err := net.Dial("tcp", Serve(b, srv))
		require.NoError(b, err)
		client := impl.Codec.NewClient(conn) // plain net/rpc: the baseline
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
			client := impl.DialT(b, impl.StartServer(b, tp, Propagator(), calc.Calculator{}), tp, Propagator())
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
