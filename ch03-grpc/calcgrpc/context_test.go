package calcgrpc_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/rpc-tracing/workbook/ch03-grpc/calcgrpc"
	calculatorv1 "github.com/rpc-tracing/workbook/ch03-grpc/proto/calculator/v1"
	"github.com/rpc-tracing/workbook/internal/spantest"
)

func TestSlowCallMissesItsDeadlineOnBothSides(t *testing.T) {
	h := newHarness(t, calcgrpc.ServerConfig{})
	// Long enough for the first call to connect and reach the server on a busy machine (else
	// there is no server span to check), far shorter than the server's delay.
	ctx, cancel := context.WithTimeout(calcgrpc.WithDelay(context.Background(), calcgrpc.MaxDelay), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := h.client.Add(ctx, &calculatorv1.Operands{A: 1, B: 2})
	require.Equal(t, codes.DeadlineExceeded, status.Code(err))
	assert.Less(t, time.Since(start), calcgrpc.MaxDelay, "the client did not wait for the slow server")

	// The server gave up too, long before its delay was over. Its context ends by whichever
	// comes first: its own copy of the deadline (DEADLINE_EXCEEDED) or the client's cancellation
	// of the stream when the client's deadline passed (CANCELLED). Both happen at the same
	// moment; which one wins is a race.
	spans := spantest.Wait(t, h.rec, 2)
	assert.Equal(t, "DEADLINE_EXCEEDED", spantest.Attr(spantest.OfKind(t, spans, trace.SpanKindClient), "rpc.response.status_code"))
	ss := spantest.OfKind(t, spans, trace.SpanKindServer)
	assert.Contains(t, []string{"DEADLINE_EXCEEDED", "CANCELLED"}, spantest.Attr(ss, "rpc.response.status_code"))
	assert.Less(t, ss.EndTime().Sub(ss.StartTime()), calcgrpc.MaxDelay)
	assert.Regexp(t, `"code":"(DeadlineExceeded|Canceled)"`, h.logs.String())
}

// probe is a server interceptor that remembers the context of the last call it saw.
type probe struct {
	mu  sync.Mutex
	ctx context.Context
}

func (p *probe) option() grpc.ServerOption {
	return grpc.ChainUnaryInterceptor(func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		p.mu.Lock()
		p.ctx = ctx
		p.mu.Unlock()
		return handler(ctx, req)
	})
}

func (p *probe) last() context.Context {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.ctx
}

func TestServerSeesTheClientsDeadline(t *testing.T) {
	p := &probe{}
	h := newHarness(t, calcgrpc.ServerConfig{Options: []grpc.ServerOption{p.option()}})
	deadline := time.Now().Add(30 * time.Second)
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	_, err := h.client.Add(ctx, &calculatorv1.Operands{A: 1, B: 2})
	require.NoError(t, err)

	got, ok := p.last().Deadline()
	require.True(t, ok, "the deadline travelled with the call (as the grpc-timeout header)")
	assert.WithinDuration(t, deadline, got, time.Second)
}

func TestCallNestsUnderTheCallersSpanAndCarriesBaggage(t *testing.T) {
	p := &probe{}
	h := newHarness(t, calcgrpc.ServerConfig{Options: []grpc.ServerOption{p.option()}})
	member, err := baggage.NewMember("tenant", "acme")
	require.NoError(t, err)
	bag, err := baggage.New(member)
	require.NoError(t, err)
	ctx, checkout := h.tp.Tracer("test").Start(baggage.ContextWithBaggage(context.Background(), bag), "checkout")
	_, err = h.client.Mul(ctx, &calculatorv1.Operands{A: 6, B: 7})
	require.NoError(t, err)
	checkout.End()

	spans := spantest.Wait(t, h.rec, 3)
	cs, ss := spantest.OfKind(t, spans, trace.SpanKindClient), spantest.OfKind(t, spans, trace.SpanKindServer)
	assert.Equal(t, checkout.SpanContext().SpanID(), cs.Parent().SpanID(), "the call nests under checkout")
	assert.Equal(t, checkout.SpanContext().TraceID(), ss.SpanContext().TraceID())
	assert.Contains(t, h.logs.String(), checkout.SpanContext().TraceID().String(), "the server's log line names the trace")
	assert.Equal(t, "acme", baggage.FromContext(p.last()).Member("tenant").Value(), "baggage crossed the wire")
}

// Without the client's stats handler nothing sends the trace context: the server's span starts
// a trace of its own, and the caller's trace stops at the process boundary.
func TestWithoutTheClientHandlerTheServerStartsANewTrace(t *testing.T) {
	h := newHarness(t, calcgrpc.ServerConfig{})
	plain, err := grpc.NewClient("passthrough:///bufconn",
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		h.dialer)
	require.NoError(t, err)
	defer plain.Close()

	ctx, caller := h.tp.Tracer("test").Start(context.Background(), "caller")
	_, err = calculatorv1.NewCalculatorServiceClient(plain).Add(ctx, &calculatorv1.Operands{A: 1, B: 2})
	require.NoError(t, err)
	caller.End()

	spans := spantest.Wait(t, h.rec, 2) // caller + server: no client span
	ss := spantest.OfKind(t, spans, trace.SpanKindServer)
	assert.False(t, ss.Parent().IsValid(), "a new root")
	assert.NotEqual(t, caller.SpanContext().TraceID(), ss.SpanContext().TraceID(), "the trace split in two")
}
