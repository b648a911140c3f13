package suite

import (
	"context"
	"net"
	"testing"

	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch01-netrpc/calc/calctest"
	"github.com/rpc-tracing/workbook/internal/cpubench"
)

// callFunc is one Calculator call, traced or not.
type callFunc func(ctx context.Context, method string, args, reply any) error

// benchModes are the three ways Bench and BenchParallel run a call: mode=untraced (plain
// net/rpc, the baseline), mode=traced (impl on both sides, every span recorded) and
// mode=sampled-1pct (ParentBased(TraceIDRatioBased(0.01))). The sub-benchmark names are
// key=value so that `benchstat -col /mode` compares the modes.
var benchModes = []struct {
	name    string
	sampler sdktrace.Sampler // nil: untraced
}{
	{"untraced", nil},
	{"traced", sdktrace.AlwaysSample()},
	{"sampled-1pct", sdktrace.ParentBased(sdktrace.TraceIDRatioBased(0.01))},
}

// Bench measures one Calculator.Add round trip over loopback TCP, one call at a time: the
// latency of a call, in each of benchModes.
func Bench(b *testing.B, impl Impl) {
	for _, m := range benchModes {
		b.Run("mode="+m.name, func(b *testing.B) { runCalls(b, impl.benchClient(b, m.sampler)) })
	}
}

// BenchParallel is Bench under load: cpubench.Parallelism × GOMAXPROCS goroutines make calls at once
// over one connection (b.RunParallel). Besides ns/op, the wall time per call with every core
// busy, it reports cpu-ns/op, the process's CPU time per call, client and server together
// (internal/cpubench): what a call costs when the cores are the limit.
func BenchParallel(b *testing.B, impl Impl) {
	for _, m := range benchModes {
		b.Run("mode="+m.name, func(b *testing.B) { runParallel(b, impl.benchClient(b, m.sampler)) })
	}
}

// benchClient starts a server and returns a client for one mode: plain net/rpc on both sides
// when sampler is nil, else impl on both sides with a provider that samples with sampler. Both
// stop when the benchmark ends.
func (impl Impl) benchClient(b *testing.B, sampler sdktrace.Sampler) callFunc {
	b.Helper()
	if sampler == nil {
		srv, err := calc.NewServer(calc.WithCodec(impl.Codec), calctest.Quiet)
		require.NoError(b, err)
		conn, err := net.Dial("tcp", calctest.Start(b, srv))
		require.NoError(b, err)
		client := impl.Codec.NewClient(conn) // plain net/rpc: the baseline
		b.Cleanup(func() { client.Close() })
		return func(_ context.Context, method string, args, reply any) error {
			return client.Call(method, args, reply)
		}
	}
	// The no-op exporter drops what it is sent: the figures are the SDK's, not an exporter's I/O.
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sampler), sdktrace.WithBatcher(tracetest.NewNoopExporter()))
	b.Cleanup(func() { require.NoError(b, tp.Shutdown(context.Background())) })
	return impl.DialT(b, impl.StartServer(b, tp, Propagator(), calc.Calculator{}), tp, Propagator()).Call
}

func runCalls(b *testing.B, call callFunc) {
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

func runParallel(b *testing.B, call callFunc) {
	b.Helper()
	ctx := context.Background()
	cpubench.RunParallel(b, func(pb *testing.PB) {
		for i := 0; pb.Next(); i++ {
			var reply calc.Reply
			if err := call(ctx, "Calculator.Add", &calc.Args{A: i, B: 1}, &reply); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
