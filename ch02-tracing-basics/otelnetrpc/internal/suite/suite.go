// Package suite is the test suite every net/rpc instrumentation of chapter 2 must pass: the
// lesson's otelnetrpc and its allocation-tuned twin, otelnetrpc/tuned. Each package's tests call
// Run with an Impl that adapts its API, so both are held to the same trace shapes: one CLIENT and
// one SERVER span per call in one trace, errors as status and event, sampling decisions and
// baggage carried to the handler, untraced peers understood, and chapter 1's safeguards kept.
package suite

import (
	"context"
	"io"
	"net/rpc"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch01-netrpc/calc/calctest"
)

// Client is what both packages' traced clients offer.
type Client interface {
	Call(ctx context.Context, serviceMethod string, args, reply any) error
	Close() error
}

// Impl adapts one instrumentation to the suite.
type Impl struct {
	// Codec is chapter 1's codec for the same wire format: the untraced peer of the interop tests.
	Codec calc.Codec
	// ServerCodecs returns the per-connection hook for calc.WithServerCodec.
	ServerCodecs func(tp trace.TracerProvider, p propagation.TextMapPropagator) func(io.ReadWriteCloser) rpc.ServerCodec
	// Dial connects a traced client to addr.
	Dial func(ctx context.Context, addr string, tp trace.TracerProvider, p propagation.TextMapPropagator) (Client, error)
	// ContextFromArgs is how a handler finds its request's context.
	ContextFromArgs func(args any) context.Context
	// Attributes are attributes every span must carry besides the common ones, if any.
	Attributes []attribute.KeyValue
}

// Propagator is the W3C trace context and baggage, as every program of the workbook uses.
func Propagator() propagation.TextMapPropagator {
	return propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
}

// NewProvider returns a provider that records every ended span synchronously.
func NewProvider(t testing.TB, opts ...sdktrace.TracerProviderOption) (*sdktrace.TracerProvider, *tracetest.SpanRecorder) {
	t.Helper()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(append(opts, sdktrace.WithSpanProcessor(rec))...)
	t.Cleanup(func() { require.NoError(t, tp.Shutdown(context.Background())) })
	return tp, rec
}

// StartServer serves rcvr as "Calculator" with impl's traced codec on a loopback port and stops it
// when the test ends.
func (impl Impl) StartServer(t testing.TB, tp trace.TracerProvider, p propagation.TextMapPropagator, rcvr any) string {
	t.Helper()
	srv, err := calc.NewServer(calc.WithServerCodec(impl.ServerCodecs(tp, p)), calc.WithReceiver(rcvr), calctest.Quiet)
	require.NoError(t, err)
	return calctest.Start(t, srv)
}

// DialT is Dial for a test: it fails the test on error and closes the client when the test ends.
func (impl Impl) DialT(t testing.TB, addr string, tp trace.TracerProvider, p propagation.TextMapPropagator) Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := impl.Dial(ctx, addr, tp, p)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

// Attr returns the value of the span's attribute key (the zero Value if it has none).
func Attr(s sdktrace.ReadOnlySpan, key attribute.Key) attribute.Value {
	for _, kv := range s.Attributes() {
		if kv.Key == key {
			return kv.Value
		}
	}
	return attribute.Value{}
}

// Probe is a Calculator that remembers, for every call, the context its handler found.
type Probe struct {
	calc.Calculator
	lookup func(args any) context.Context
	mu     sync.Mutex
	seen   []context.Context
}

// NewProbe returns a Probe that finds contexts with impl.ContextFromArgs.
func (impl Impl) NewProbe() *Probe { return &Probe{lookup: impl.ContextFromArgs} }

// Add records its context and adds.
func (p *Probe) Add(args *calc.Args, reply *calc.Reply) error {
	p.record(p.lookup(args))
	return p.Calculator.Add(args, reply)
}

// Div records its context and divides.
func (p *Probe) Div(args *calc.Args, reply *calc.Reply) error {
	p.record(p.lookup(args))
	return p.Calculator.Div(args, reply)
}

func (p *Probe) record(ctx context.Context) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seen = append(p.seen, ctx)
}

// Contexts returns the contexts seen so far, in call order.
func (p *Probe) Contexts() []context.Context {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]context.Context(nil), p.seen...)
}

// BadPropagator writes a traceparent no parser accepts.
type BadPropagator struct{}

// Inject writes the malformed header.
func (BadPropagator) Inject(_ context.Context, c propagation.TextMapCarrier) {
	c.Set("traceparent", "00-not-a-trace-context-01")
}

// Extract extracts nothing.
func (BadPropagator) Extract(ctx context.Context, _ propagation.TextMapCarrier) context.Context {
	return ctx
}

// Fields names the one header it writes.
func (BadPropagator) Fields() []string { return []string{"traceparent"} }
