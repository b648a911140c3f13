package otelnetrpc_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch02-tracing-basics/otelnetrpc"
)

// gated answers Add only when its gate opens, and counts the calls it gets.
type gated struct {
	gate  chan struct{}
	calls atomic.Int64
}

func (g *gated) Add(args *calc.Args, reply *calc.Reply) error {
	g.calls.Add(1)
	<-g.gate
	reply.Result = args.A + args.B
	return nil
}

func TestTimeoutEndsTheSpanAndALateReplyIsDropped(t *testing.T) {
	tp, rec := newProvider(t)
	opts := []otelnetrpc.Option{otelnetrpc.WithTracerProvider(tp), otelnetrpc.WithPropagators(propagator())}
	g := &gated{gate: make(chan struct{})}
	client := dial(t, startServer(t, otelnetrpc.Gob, g, opts...), otelnetrpc.Gob, opts...)

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	reply := calc.Reply{Result: -1}
	err := client.Call(ctx, "Calculator.Add", &calc.Args{A: 2, B: 3}, &reply)
	require.ErrorIs(t, err, context.DeadlineExceeded)

	cs := byKind(t, waitSpans(t, rec, 1), trace.SpanKindClient)
	assert.Equal(t, codes.Error, cs.Status().Code)
	assert.Contains(t, cs.Status().Description, "context deadline exceeded")

	close(g.gate) // the server answers now, too late
	ss := byKind(t, waitSpans(t, rec, 2), trace.SpanKindServer)
	assert.Equal(t, cs.SpanContext().SpanID(), ss.Parent().SpanID())
	assert.Equal(t, -1, reply.Result, "the late answer did not land in the caller's variable")
}

func TestEndedContextSendsNothing(t *testing.T) {
	tp, rec := newProvider(t)
	opts := []otelnetrpc.Option{otelnetrpc.WithTracerProvider(tp), otelnetrpc.WithPropagators(propagator())}
	g := &gated{gate: make(chan struct{})}
	close(g.gate)
	client := dial(t, startServer(t, otelnetrpc.Gob, g, opts...), otelnetrpc.Gob, opts...)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var reply calc.Reply
	require.ErrorIs(t, client.Call(ctx, "Calculator.Add", &calc.Args{A: 2, B: 3}, &reply), context.Canceled)
	require.NoError(t, client.Call(context.Background(), "Calculator.Add", &calc.Args{A: 2, B: 3}, &reply))
	assert.Equal(t, int64(1), g.calls.Load(), "only the second call reached the server")
	waitSpans(t, rec, 3) // the cancelled call's client span, then the good call's two
}
