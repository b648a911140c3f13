package tuned_test

import (
	"context"
	"io"
	"net/rpc"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch02-tracing-basics/otelnetrpc/internal/suite"
	"github.com/rpc-tracing/workbook/ch02-tracing-basics/otelnetrpc/tuned"
	"github.com/rpc-tracing/workbook/internal/spantest"
)

// implFor adapts the package, speaking format, to the suite that the lesson's otelnetrpc passes
// too; extra options (a filter) go to both sides.
func implFor(format tuned.Format, extra ...tuned.Option) suite.Impl {
	codec := calc.Gob
	if format == tuned.JSON {
		codec = calc.JSON
	}
	options := func(tp trace.TracerProvider, p propagation.TextMapPropagator) []tuned.Option {
		return append([]tuned.Option{tuned.WithTracerProvider(tp), tuned.WithPropagators(p)}, extra...)
	}
	return suite.Impl{
		Codec: codec,
		ServerCodecs: func(tp trace.TracerProvider, p propagation.TextMapPropagator) func(io.ReadWriteCloser) rpc.ServerCodec {
			codecs, err := tuned.ServerCodecs(format, options(tp, p)...)
			if err != nil {
				panic(err) // the formats used here are the package's own
			}
			return codecs
		},
		Dial: func(ctx context.Context, addr string, tp trace.TracerProvider, p propagation.TextMapPropagator) (suite.Client, error) {
			return tuned.Dial(ctx, addr, format, options(tp, p)...)
		},
		ContextFromArgs: tuned.ContextFromArgs,
		Attributes:      []attribute.KeyValue{tuned.CodecKey.String(string(format))},
	}
}

// TestInstrumentation runs the shared suite with both wire formats.
func TestInstrumentation(t *testing.T) {
	for _, format := range []tuned.Format{tuned.Gob, tuned.JSON} {
		t.Run(string(format), func(t *testing.T) { suite.Run(t, implFor(format)) })
	}
}

// BenchmarkTunedCall is the lesson's BenchmarkCall for this package: the same three modes.
func BenchmarkTunedCall(b *testing.B) { suite.Bench(b, implFor(tuned.Gob)) }

// BenchmarkTunedCallParallel is the lesson's BenchmarkCallParallel for this package.
func BenchmarkTunedCallParallel(b *testing.B) { suite.BenchParallel(b, implFor(tuned.Gob)) }

func TestFilterSkipsSpansButKeepsTheTraceGoing(t *testing.T) {
	impl := implFor(tuned.Gob, tuned.WithFilter(func(m string) bool { return m != "Calculator.Div" }))
	tp, rec := suite.NewProvider(t)
	p := impl.NewProbe()
	client := impl.DialT(t, impl.StartServer(t, tp, suite.Propagator(), p), tp, suite.Propagator())

	ctx, parent := tp.Tracer("test").Start(context.Background(), "request")
	var reply calc.Reply
	require.NoError(t, client.Call(ctx, "Calculator.Div", &calc.Args{A: 8, B: 2}, &reply))
	require.NoError(t, client.Call(ctx, "Calculator.Add", &calc.Args{A: 1, B: 2}, &reply))
	parent.End()

	spans := spantest.Wait(t, rec, 3) // request + Add client + Add server
	for _, s := range spans {
		assert.NotEqual(t, "Calculator.Div", s.Name())
	}
	require.Len(t, p.Contexts(), 2)
	divCtx := trace.SpanContextFromContext(p.Contexts()[0])
	assert.Equal(t, parent.SpanContext().TraceID(), divCtx.TraceID(), "a filtered call still carries the trace")
}

func TestUnknownFormatIsRejected(t *testing.T) {
	_, err := tuned.ServerCodecs("xml")
	require.EqualError(t, err, `otelnetrpc: unknown format "xml": want "gob" or "json"`)
}
