package otelnetrpc_test

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch02-tracing-basics/otelnetrpc"
)

var formats = []otelnetrpc.Format{otelnetrpc.Gob, otelnetrpc.JSON}

func propagator() propagation.TextMapPropagator {
	return propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
}

// newProvider returns a provider that records every ended span synchronously.
func newProvider(t *testing.T, opts ...sdktrace.TracerProviderOption) (*sdktrace.TracerProvider, *tracetest.SpanRecorder) {
	t.Helper()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(append(opts, sdktrace.WithSpanProcessor(rec))...)
	t.Cleanup(func() { require.NoError(t, tp.Shutdown(context.Background())) })
	return tp, rec
}

// startServer serves rcvr as "Calculator" with the traced codec on a loopback port and stops it
// when the test ends.
func startServer(t *testing.T, format otelnetrpc.Format, rcvr any, opts ...otelnetrpc.Option) string {
	t.Helper()
	codecs, err := otelnetrpc.ServerCodecs(format, opts...)
	require.NoError(t, err)
	srv, err := calc.NewServer(calc.WithServerCodec(codecs), calc.WithReceiver(rcvr))
	require.NoError(t, err)
	return serve(t, srv)
}

func serve(t testing.TB, srv *calc.Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
	})
	return ln.Addr().String()
}

func dial(t *testing.T, addr string, format otelnetrpc.Format, opts ...otelnetrpc.Option) *otelnetrpc.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := otelnetrpc.Dial(ctx, addr, format, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

// waitSpans waits until n spans have ended: the server ends its span after writing the reply, so
// it can end a moment after the client has its answer.
func waitSpans(t *testing.T, rec *tracetest.SpanRecorder, n int) []sdktrace.ReadOnlySpan {
	t.Helper()
	require.Eventually(t, func() bool { return len(rec.Ended()) >= n }, 5*time.Second, time.Millisecond)
	spans := rec.Ended()
	require.Len(t, spans, n)
	return spans
}

// byKind returns the one span of the given kind.
func byKind(t *testing.T, spans []sdktrace.ReadOnlySpan, kind trace.SpanKind) sdktrace.ReadOnlySpan {
	t.Helper()
	var found []sdktrace.ReadOnlySpan
	for _, s := range spans {
		if s.SpanKind() == kind {
			found = append(found, s)
		}
	}
	require.Len(t, found, 1, "spans of kind %v", kind)
	return found[0]
}

// probe is a Calculator that remembers, for every call, the context ContextFromArgs gave it.
type probe struct {
	calc.Calculator
	mu   sync.Mutex
	seen []context.Context
}

func (p *probe) Add(args *calc.Args, reply *calc.Reply) error {
	p.record(otelnetrpc.ContextFromArgs(args))
	return p.Calculator.Add(args, reply)
}

func (p *probe) Div(args *calc.Args, reply *calc.Reply) error {
	p.record(otelnetrpc.ContextFromArgs(args))
	return p.Calculator.Div(args, reply)
}

func (p *probe) record(ctx context.Context) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seen = append(p.seen, ctx)
}

func (p *probe) contexts() []context.Context {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]context.Context(nil), p.seen...)
}

// badPropagator writes a traceparent no parser accepts.
type badPropagator struct{}

func (badPropagator) Inject(_ context.Context, c propagation.TextMapCarrier) {
	c.Set("traceparent", "00-not-a-trace-context-01")
}
func (badPropagator) Extract(ctx context.Context, _ propagation.TextMapCarrier) context.Context {
	return ctx
}
func (badPropagator) Fields() []string { return []string{"traceparent"} }

func withBaggage(t *testing.T, ctx context.Context, key, value string) context.Context {
	t.Helper()
	m, err := baggage.NewMember(key, value)
	require.NoError(t, err)
	b, err := baggage.New(m)
	require.NoError(t, err)
	return baggage.ContextWithBaggage(ctx, b)
}

func baggageValue(ctx context.Context, key string) string {
	return baggage.FromContext(ctx).Member(key).Value()
}
