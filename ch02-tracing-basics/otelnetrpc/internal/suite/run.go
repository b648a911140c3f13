package suite

import (
	"context"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch01-netrpc/calc/calctest"
	"github.com/rpc-tracing/workbook/internal/baggagetest"
	"github.com/rpc-tracing/workbook/internal/spantest"
)

// Run runs every test of the suite against impl, each as a subtest named for what it proves.
func Run(t *testing.T, impl Impl) {
	for _, tc := range []struct {
		name string
		test func(*testing.T, Impl)
	}{
		{"CallMakesOneClientAndOneServerSpanInOneTrace", callMakesOneClientAndOneServerSpanInOneTrace},
		{"ConcurrentCallsMakeSeparateCorrectlyPairedTraces", concurrentCallsMakeSeparateTraces},
		{"UnsampledCallExportsNothingButStillPropagates", unsampledCallStillPropagates},
		{"MalformedContextStartsANewRootTrace", malformedContextStartsANewRootTrace},
		{"BaggageReachesTheHandler", baggageReachesTheHandler},
		{"HandlerChildSpanHangsUnderTheServerSpan", handlerChildSpanHangsUnderTheServerSpan},
		{"UnknownMethodIsAnErrorWithBoundedAttributes", unknownMethodIsAnError},
		{"TracedClientTalksToAnUntracedServer", tracedClientTalksToAnUntracedServer},
		{"UntracedClientTalksToATracedServer", untracedClientTalksToATracedServer},
		{"GarbageOnTheWireClosesOnlyThatConnection", garbageClosesOnlyThatConnection},
		{"TimeoutEndsTheSpanAndALateReplyIsDropped", timeoutEndsTheSpan},
		{"EndedContextSendsNothing", endedContextSendsNothing},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.test(t, impl) })
	}
}

func callMakesOneClientAndOneServerSpanInOneTrace(t *testing.T, impl Impl) {
	for _, tc := range []struct {
		method  string
		args    calc.Args
		want    int
		wantErr string
	}{
		{"Calculator.Add", calc.Args{A: 2, B: 3}, 5, ""},
		{"Calculator.Div", calc.Args{A: 7, B: 0}, 0, "division by zero"},
	} {
		t.Run(tc.method, func(t *testing.T) {
			tp, rec := NewProvider(t)
			client := impl.DialT(t, impl.StartServer(t, tp, Propagator(), calc.Calculator{}), tp, Propagator())

			var reply calc.Reply
			err := client.Call(context.Background(), tc.method, &tc.args, &reply)
			if tc.wantErr != "" {
				require.EqualError(t, err, tc.wantErr)
			} else {
				require.NoError(t, err)
				assert.Equal(t, tc.want, reply.Result)
			}

			spans := spantest.Wait(t, rec, 2)
			cs, ss := spantest.OfKind(t, spans, trace.SpanKindClient), spantest.OfKind(t, spans, trace.SpanKindServer)
			assert.Equal(t, cs.SpanContext().TraceID(), ss.SpanContext().TraceID(), "one trace across the hop")
			assert.Equal(t, cs.SpanContext().SpanID(), ss.Parent().SpanID(), "server's parent is the client span")
			assert.True(t, ss.Parent().IsRemote())
			assert.False(t, cs.Parent().IsValid(), "the client span is the root")
			for _, s := range []sdktrace.ReadOnlySpan{cs, ss} {
				assert.Equal(t, tc.method, s.Name())
				assert.Equal(t, "go_netrpc", Attr(s, "rpc.system.name").AsString())
				assert.Equal(t, tc.method, Attr(s, "rpc.method").AsString())
				for _, kv := range impl.Attributes {
					assert.Equal(t, kv.Value, Attr(s, kv.Key), "attribute %s", kv.Key)
				}
				if tc.wantErr != "" {
					assert.Equal(t, codes.Error, s.Status().Code)
					assert.Equal(t, tc.wantErr, s.Status().Description)
					require.Len(t, s.Events(), 1)
					assert.Equal(t, "exception", s.Events()[0].Name)
				} else {
					assert.Equal(t, codes.Unset, s.Status().Code)
				}
			}
			assert.Equal(t, "127.0.0.1", Attr(cs, "server.address").AsString())
			assert.Equal(t, "127.0.0.1", Attr(ss, "network.peer.address").AsString())
		})
	}
}

func concurrentCallsMakeSeparateTraces(t *testing.T, impl Impl) {
	const calls = 100
	tp, rec := NewProvider(t)
	client := impl.DialT(t, impl.StartServer(t, tp, Propagator(), calc.Calculator{}), tp, Propagator())

	var wg sync.WaitGroup
	for i := range calls {
		wg.Go(func() {
			var reply calc.Reply
			assert.NoError(t, client.Call(context.Background(), "Calculator.Add", &calc.Args{A: i, B: i}, &reply))
			assert.Equal(t, 2*i, reply.Result)
		})
	}
	wg.Wait()

	traces := map[trace.TraceID][]sdktrace.ReadOnlySpan{}
	for _, s := range spantest.Wait(t, rec, 2*calls) {
		traces[s.SpanContext().TraceID()] = append(traces[s.SpanContext().TraceID()], s)
	}
	require.Len(t, traces, calls, "one trace per call")
	for id, spans := range traces {
		cs, ss := spantest.OfKind(t, spans, trace.SpanKindClient), spantest.OfKind(t, spans, trace.SpanKindServer)
		assert.Equal(t, cs.SpanContext().SpanID(), ss.Parent().SpanID(), "trace %s", id)
	}
}

func unsampledCallStillPropagates(t *testing.T, impl Impl) {
	clientTP, clientRec := NewProvider(t, sdktrace.WithSampler(sdktrace.TraceIDRatioBased(0)))
	serverTP, serverRec := NewProvider(t) // default: ParentBased(AlwaysOn)
	p := impl.NewProbe()
	client := impl.DialT(t, impl.StartServer(t, serverTP, Propagator(), p), clientTP, Propagator())

	ctx, parent := clientTP.Tracer("test").Start(context.Background(), "request")
	var reply calc.Reply
	require.NoError(t, client.Call(ctx, "Calculator.Add", &calc.Args{A: 1, B: 2}, &reply))
	parent.End()

	require.Len(t, p.Contexts(), 1)
	seen := trace.SpanContextFromContext(p.Contexts()[0])
	assert.Equal(t, parent.SpanContext().TraceID(), seen.TraceID(), "the handler sees the caller's trace")
	assert.False(t, seen.IsSampled(), "and the caller's decision not to sample")
	assert.Empty(t, clientRec.Ended())
	assert.Empty(t, serverRec.Ended(), "ParentBased follows the remote parent's sampled flag")
}

func malformedContextStartsANewRootTrace(t *testing.T, impl Impl) {
	tp, rec := NewProvider(t)
	addr := impl.StartServer(t, tp, Propagator(), calc.Calculator{})
	// The client records nothing, so the one span recorded is the server's.
	client := impl.DialT(t, addr, noop.NewTracerProvider(), BadPropagator{})

	var reply calc.Reply
	require.NoError(t, client.Call(context.Background(), "Calculator.Add", &calc.Args{A: 1, B: 2}, &reply))
	assert.Equal(t, 3, reply.Result)

	ss := spantest.OfKind(t, spantest.Wait(t, rec, 1), trace.SpanKindServer)
	assert.False(t, ss.Parent().IsValid(), "no parent: a new root trace")
	assert.True(t, ss.SpanContext().IsValid())
}

func baggageReachesTheHandler(t *testing.T, impl Impl) {
	tp, _ := NewProvider(t)
	p := impl.NewProbe()
	client := impl.DialT(t, impl.StartServer(t, tp, Propagator(), p), tp, Propagator())

	ctx := baggagetest.With(t, context.Background(), "tenant", "acme")
	var reply calc.Reply
	require.NoError(t, client.Call(ctx, "Calculator.Add", &calc.Args{A: 1, B: 2}, &reply))

	require.Len(t, p.Contexts(), 1)
	assert.Equal(t, "acme", baggage.FromContext(p.Contexts()[0]).Member("tenant").Value())
}

func handlerChildSpanHangsUnderTheServerSpan(t *testing.T, impl Impl) {
	tp, rec := NewProvider(t)
	p := impl.NewProbe()
	client := impl.DialT(t, impl.StartServer(t, tp, Propagator(), p), tp, Propagator())

	var reply calc.Reply
	require.NoError(t, client.Call(context.Background(), "Calculator.Add", &calc.Args{A: 1, B: 2}, &reply))
	require.Len(t, p.Contexts(), 1)
	_, child := tp.Tracer("test").Start(p.Contexts()[0], "compute")
	child.End()

	spans := spantest.Wait(t, rec, 3)
	ss := spantest.OfKind(t, spans, trace.SpanKindServer)
	cs := spantest.OfKind(t, spans, trace.SpanKindInternal)
	assert.Equal(t, ss.SpanContext().SpanID(), cs.Parent().SpanID())
	assert.Equal(t, ss.SpanContext().TraceID(), cs.SpanContext().TraceID())
	assert.Equal(t, context.Background(), impl.ContextFromArgs(&calc.Args{}), "outside a call: the background")
}

func unknownMethodIsAnError(t *testing.T, impl Impl) {
	tp, rec := NewProvider(t)
	client := impl.DialT(t, impl.StartServer(t, tp, Propagator(), calc.Calculator{}), tp, Propagator())

	var reply calc.Reply
	err := client.Call(context.Background(), "Calculator.Pow", &calc.Args{A: 2, B: 8}, &reply)
	require.EqualError(t, err, "rpc: can't find method Calculator.Pow")

	ss := spantest.OfKind(t, spantest.Wait(t, rec, 2), trace.SpanKindServer)
	assert.Equal(t, codes.Error, ss.Status().Code)
	assert.Equal(t, "_OTHER", Attr(ss, "rpc.method").AsString())
	assert.Equal(t, "Calculator.Pow", Attr(ss, "rpc.method_original").AsString())
}

func tracedClientTalksToAnUntracedServer(t *testing.T, impl Impl) {
	tp, rec := NewProvider(t)
	srv, err := calc.NewServer(calc.WithCodec(impl.Codec), calctest.Quiet)
	require.NoError(t, err)
	client := impl.DialT(t, calctest.Start(t, srv), tp, Propagator())

	var reply calc.Reply
	require.NoError(t, client.Call(context.Background(), "Calculator.Mul", &calc.Args{A: 6, B: 7}, &reply))
	assert.Equal(t, 42, reply.Result)
	spantest.OfKind(t, spantest.Wait(t, rec, 1), trace.SpanKindClient)
}

func untracedClientTalksToATracedServer(t *testing.T, impl Impl) {
	tp, rec := NewProvider(t)
	addr := impl.StartServer(t, tp, Propagator(), calc.Calculator{})
	client := calctest.Dial(t, addr, impl.Codec)

	got, err := client.Sub(calctest.CallCtx(t), 2, 3)
	require.NoError(t, err)
	assert.Equal(t, -1, got)
	ss := spantest.OfKind(t, spantest.Wait(t, rec, 1), trace.SpanKindServer)
	assert.False(t, ss.Parent().IsValid(), "no context on the wire: a new root trace")
}

func garbageClosesOnlyThatConnection(t *testing.T, impl Impl) {
	tp, _ := NewProvider(t)
	addr := impl.StartServer(t, tp, Propagator(), calc.Calculator{})

	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.Write([]byte("\x07\xff\x00garbage{]"))
	require.NoError(t, err)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(5*time.Second)))
	_, err = conn.Read(make([]byte, 1))
	require.Error(t, err, "the server hangs up on a connection it cannot decode")

	var reply calc.Reply
	client := impl.DialT(t, addr, tp, Propagator())
	require.NoError(t, client.Call(context.Background(), "Calculator.Add", &calc.Args{A: 1, B: 1}, &reply))
	assert.Equal(t, 2, reply.Result)
}

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

func timeoutEndsTheSpan(t *testing.T, impl Impl) {
	tp, rec := NewProvider(t)
	g := &gated{gate: make(chan struct{})}
	client := impl.DialT(t, impl.StartServer(t, tp, Propagator(), g), tp, Propagator())

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	reply := calc.Reply{Result: -1}
	err := client.Call(ctx, "Calculator.Add", &calc.Args{A: 2, B: 3}, &reply)
	require.ErrorIs(t, err, context.DeadlineExceeded)

	cs := spantest.OfKind(t, spantest.Wait(t, rec, 1), trace.SpanKindClient)
	assert.Equal(t, codes.Error, cs.Status().Code)
	assert.Contains(t, cs.Status().Description, "context deadline exceeded")

	close(g.gate) // the server answers now, too late
	ss := spantest.OfKind(t, spantest.Wait(t, rec, 2), trace.SpanKindServer)
	assert.Equal(t, cs.SpanContext().SpanID(), ss.Parent().SpanID())
	assert.Equal(t, -1, reply.Result, "the late answer did not land in the caller's variable")
}

func endedContextSendsNothing(t *testing.T, impl Impl) {
	tp, rec := NewProvider(t)
	g := &gated{gate: make(chan struct{})}
	close(g.gate)
	client := impl.DialT(t, impl.StartServer(t, tp, Propagator(), g), tp, Propagator())

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var reply calc.Reply
	require.ErrorIs(t, client.Call(ctx, "Calculator.Add", &calc.Args{A: 2, B: 3}, &reply), context.Canceled)
	require.NoError(t, client.Call(context.Background(), "Calculator.Add", &calc.Args{A: 2, B: 3}, &reply))
	assert.Equal(t, int64(1), g.calls.Load(), "only the second call reached the server")
	spantest.Wait(t, rec, 3) // the cancelled call's client span, then the good call's two
}
