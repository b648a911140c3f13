package richcalc_test

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch02-tracing-basics/solutions/richcalc"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The methods are called directly: the exercises are about the span, and the wire is tested in
// otelnetrpc and tracedcalc. Outside a traced call, ContextFromArgs gives a root context.
func newCalculator(t *testing.T) (*richcalc.Calculator, *tracetest.SpanRecorder) {
	t.Helper()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	t.Cleanup(func() { require.NoError(t, tp.Shutdown(context.Background())) })
	return richcalc.New(tp), rec
}

func TestOperandsAreAttributes(t *testing.T) {
	c, rec := newCalculator(t)
	var reply calc.Reply
	require.NoError(t, c.Add(&calc.Args{A: 2, B: 3}, &reply))
	assert.Equal(t, 5, reply.Result)

	require.Len(t, rec.Ended(), 1)
	span := rec.Ended()[0]
	assert.Contains(t, span.Attributes(), richcalc.KeyA.Int(2))
	assert.Contains(t, span.Attributes(), richcalc.KeyB.Int(3))
	assert.Empty(t, span.Events(), "no overflow, no event")
}

func TestOverflowAddsAnEvent(t *testing.T) {
	c, rec := newCalculator(t)
	var reply calc.Reply
	err := c.Mul(&calc.Args{A: math.MaxInt, B: 2}, &reply)
	require.ErrorIs(t, err, calc.ErrOverflow)

	require.Len(t, rec.Ended(), 1)
	span := rec.Ended()[0]
	assert.Equal(t, codes.Error, span.Status().Code)
	var names []string
	for _, e := range span.Events() {
		names = append(names, e.Name)
	}
	assert.Equal(t, []string{richcalc.EventOverflow, "exception"}, names, "the overflow, then the error recorded")
	assert.Equal(t, []attribute.KeyValue{richcalc.KeyA.Int(math.MaxInt), richcalc.KeyB.Int(2)}, span.Events()[0].Attributes)
}
