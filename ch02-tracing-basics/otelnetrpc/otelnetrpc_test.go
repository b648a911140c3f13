package otelnetrpc_test

import (
	"context"
	"io"
	"net/rpc"
	"testing"

	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch02-tracing-basics/otelnetrpc"
	"github.com/rpc-tracing/workbook/ch02-tracing-basics/otelnetrpc/internal/suite"
)

// impl adapts the package to the suite that otelnetrpc/tuned passes too.
var impl = suite.Impl{
	Codec: calc.Gob,
	ServerCodecs: func(tp trace.TracerProvider, p propagation.TextMapPropagator) func(io.ReadWriteCloser) rpc.ServerCodec {
		return otelnetrpc.ServerCodecs(otelnetrpc.WithTracerProvider(tp), otelnetrpc.WithPropagators(p))
	},
	Dial: func(ctx context.Context, addr string, tp trace.TracerProvider, p propagation.TextMapPropagator) (suite.Client, error) {
		return otelnetrpc.Dial(ctx, addr, otelnetrpc.WithTracerProvider(tp), otelnetrpc.WithPropagators(p))
	},
	ContextFromArgs: otelnetrpc.ContextFromArgs,
}

// TestInstrumentation runs the shared suite: span shapes, errors, sampling, baggage, untraced
// peers, timeouts. Its subtests are named for what each proves.
func TestInstrumentation(t *testing.T) { suite.Run(t, impl) }

// BenchmarkCall measures one Calculator.Add round trip over loopback TCP with gob: plain net/rpc
// (mode=untraced), this package with every span exported (mode=traced), and with 1% of traces
// sampled (mode=sampled-1pct). otelnetrpc/tuned's BenchmarkTunedCall measures the tuned version.
func BenchmarkCall(b *testing.B) { suite.Bench(b, impl) }

// BenchmarkCallParallel is BenchmarkCall under load: the same modes, calls made from every core
// at once, so ns/op × GOMAXPROCS is the CPU a call costs.
func BenchmarkCallParallel(b *testing.B) { suite.BenchParallel(b, impl) }
