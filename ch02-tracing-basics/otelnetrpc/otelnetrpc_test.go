package otelnetrpc_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch02-tracing-basics/otelnetrpc"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func attr(s sdktrace.ReadOnlySpan, key attribute.Key) attribute.Value {
	for _, kv := range s.Attributes() {
		if kv.Key == key {
			return kv.Value
		}
	}
	return attribute.Value{}
}

func TestCallMakesOneClientAndOneServerSpanInOneTrace(t *testing.T) {
	cases := []struct {
		method  string
		args    calc.Args
		want    int
		wantErr string
	}{
		{"Calculator.Add", calc.Args{A: 2, B: 3}, 5, ""},
		{"Calculator.Div", calc.Args{A: 7, B: 0}, 0, "division by zero"},
	}
	for _, format := range formats {
		for _, tc := range cases {
			t.Run(fmt.Sprintf("%s/%s", format, tc.method), func(t *testing.T) {
				tp, rec := newProvider(t)
				opts := []otelnetrpc.Option{otelnetrpc.WithTracerProvider(tp), otelnetrpc.WithPropagators(propagator())}
				client := dial(t, startServer(t, format, calc.Calculator{}, opts...), format, opts...)

				var reply calc.Reply
				err := client.Call(context.Background(), tc.method, &tc.args, &reply)
				if tc.wantErr != "" {
					require.EqualError(t, err, tc.wantErr)
				} else {
					require.NoError(t, err)
					assert.Equal(t, tc.want, reply.Result)
				}

				spans := waitSpans(t, rec, 2)
				cs, ss := byKind(t, spans, trace.SpanKindClient), byKind(t, spans, trace.SpanKindServer)
				assert.Equal(t, cs.SpanContext().TraceID(), ss.SpanContext().TraceID(), "one trace across the hop")
				assert.Equal(t, cs.SpanContext().SpanID(), ss.Parent().SpanID(), "server's parent is the client span")
				assert.True(t, ss.Parent().IsRemote())
				assert.False(t, cs.Parent().IsValid(), "the client span is the root")
				for _, s := range []sdktrace.ReadOnlySpan{cs, ss} {
					assert.Equal(t, tc.method, s.Name())
					assert.Equal(t, otelnetrpc.SystemName, attr(s, "rpc.system.name").AsString())
					assert.Equal(t, tc.method, attr(s, "rpc.method").AsString())
					assert.Equal(t, string(format), attr(s, otelnetrpc.CodecKey).AsString())
					if tc.wantErr != "" {
						assert.Equal(t, codes.Error, s.Status().Code)
						assert.Equal(t, tc.wantErr, s.Status().Description)
						require.Len(t, s.Events(), 1)
						assert.Equal(t, "exception", s.Events()[0].Name)
					} else {
						assert.Equal(t, codes.Unset, s.Status().Code)
					}
				}
				assert.Equal(t, "127.0.0.1", attr(cs, "server.address").AsString())
				assert.Equal(t, "127.0.0.1", attr(ss, "network.peer.address").AsString())
			})
		}
	}
}

func TestConcurrentCallsMakeSeparateCorrectlyPairedTraces(t *testing.T) {
	const calls = 100
	for _, format := range formats {
		t.Run(string(format), func(t *testing.T) {
			tp, rec := newProvider(t)
			opts := []otelnetrpc.Option{otelnetrpc.WithTracerProvider(tp), otelnetrpc.WithPropagators(propagator())}
			client := dial(t, startServer(t, format, calc.Calculator{}, opts...), format, opts...)

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
			for _, s := range waitSpans(t, rec, 2*calls) {
				traces[s.SpanContext().TraceID()] = append(traces[s.SpanContext().TraceID()], s)
			}
			require.Len(t, traces, calls, "one trace per call")
			for id, spans := range traces {
				cs, ss := byKind(t, spans, trace.SpanKindClient), byKind(t, spans, trace.SpanKindServer)
				assert.Equal(t, cs.SpanContext().SpanID(), ss.Parent().SpanID(), "trace %s", id)
			}
		})
	}
}

func TestUnsampledCallExportsNothingButStillPropagates(t *testing.T) {
	for _, format := range formats {
		t.Run(string(format), func(t *testing.T) {
			clientTP, clientRec := newProvider(t, sdktrace.WithSampler(sdktrace.TraceIDRatioBased(0)))
			serverTP, serverRec := newProvider(t) // default: ParentBased(AlwaysOn)
			p := &probe{}
			addr := startServer(t, format, p, otelnetrpc.WithTracerProvider(serverTP), otelnetrpc.WithPropagators(propagator()))
			client := dial(t, addr, format, otelnetrpc.WithTracerProvider(clientTP), otelnetrpc.WithPropagators(propagator()))

			ctx, parent := clientTP.Tracer("test").Start(context.Background(), "request")
			var reply calc.Reply
			require.NoError(t, client.Call(ctx, "Calculator.Add", &calc.Args{A: 1, B: 2}, &reply))
			parent.End()

			require.Len(t, p.contexts(), 1)
			seen := trace.SpanContextFromContext(p.contexts()[0])
			assert.Equal(t, parent.SpanContext().TraceID(), seen.TraceID(), "the handler sees the caller's trace")
			assert.False(t, seen.IsSampled(), "and the caller's decision not to sample")
			assert.Empty(t, clientRec.Ended())
			assert.Empty(t, serverRec.Ended(), "ParentBased follows the remote parent's sampled flag")
		})
	}
}

func TestMalformedOrMissingContextStartsANewRootTrace(t *testing.T) {
	for _, format := range formats {
		t.Run(string(format), func(t *testing.T) {
			tp, rec := newProvider(t)
			addr := startServer(t, format, calc.Calculator{}, otelnetrpc.WithTracerProvider(tp), otelnetrpc.WithPropagators(propagator()))
			client := dial(t, addr, format, otelnetrpc.WithTracerProvider(tp), otelnetrpc.WithPropagators(badPropagator{}),
				otelnetrpc.WithFilter(func(string) bool { return false }))

			var reply calc.Reply
			require.NoError(t, client.Call(context.Background(), "Calculator.Add", &calc.Args{A: 1, B: 2}, &reply))
			assert.Equal(t, 3, reply.Result)

			ss := byKind(t, waitSpans(t, rec, 1), trace.SpanKindServer)
			assert.False(t, ss.Parent().IsValid(), "no parent: a new root trace")
			assert.True(t, ss.SpanContext().IsValid())
		})
	}
}

func TestBaggageReachesTheHandler(t *testing.T) {
	for _, format := range formats {
		t.Run(string(format), func(t *testing.T) {
			tp, _ := newProvider(t)
			opts := []otelnetrpc.Option{otelnetrpc.WithTracerProvider(tp), otelnetrpc.WithPropagators(propagator())}
			p := &probe{}
			client := dial(t, startServer(t, format, p, opts...), format, opts...)

			ctx := withBaggage(t, context.Background(), "tenant", "acme")
			var reply calc.Reply
			require.NoError(t, client.Call(ctx, "Calculator.Add", &calc.Args{A: 1, B: 2}, &reply))

			require.Len(t, p.contexts(), 1)
			assert.Equal(t, "acme", baggageValue(p.contexts()[0], "tenant"))
		})
	}
}

func TestHandlerChildSpanHangsUnderTheServerSpan(t *testing.T) {
	tp, rec := newProvider(t)
	opts := []otelnetrpc.Option{otelnetrpc.WithTracerProvider(tp), otelnetrpc.WithPropagators(propagator())}
	p := &probe{}
	client := dial(t, startServer(t, otelnetrpc.Gob, p, opts...), otelnetrpc.Gob, opts...)

	var reply calc.Reply
	require.NoError(t, client.Call(context.Background(), "Calculator.Add", &calc.Args{A: 1, B: 2}, &reply))
	require.Len(t, p.contexts(), 1)
	_, child := tp.Tracer("test").Start(p.contexts()[0], "compute")
	child.End()

	spans := waitSpans(t, rec, 3)
	ss := byKind(t, spans, trace.SpanKindServer)
	cs := byKind(t, spans, trace.SpanKindInternal)
	assert.Equal(t, ss.SpanContext().SpanID(), cs.Parent().SpanID())
	assert.Equal(t, ss.SpanContext().TraceID(), cs.SpanContext().TraceID())
}

func TestFilterSkipsSpansButKeepsTheTraceGoing(t *testing.T) {
	tp, rec := newProvider(t)
	skipDiv := otelnetrpc.WithFilter(func(m string) bool { return m != "Calculator.Div" })
	opts := []otelnetrpc.Option{otelnetrpc.WithTracerProvider(tp), otelnetrpc.WithPropagators(propagator()), skipDiv}
	p := &probe{}
	client := dial(t, startServer(t, otelnetrpc.Gob, p, opts...), otelnetrpc.Gob, opts...)

	ctx, parent := tp.Tracer("test").Start(context.Background(), "request")
	var reply calc.Reply
	require.NoError(t, client.Call(ctx, "Calculator.Div", &calc.Args{A: 8, B: 2}, &reply))
	require.NoError(t, client.Call(ctx, "Calculator.Add", &calc.Args{A: 1, B: 2}, &reply))
	parent.End()

	spans := waitSpans(t, rec, 3) // request + Add client + Add server
	for _, s := range spans {
		assert.NotEqual(t, "Calculator.Div", s.Name())
	}
	require.Len(t, p.contexts(), 2)
	divCtx := trace.SpanContextFromContext(p.contexts()[0])
	assert.Equal(t, parent.SpanContext().TraceID(), divCtx.TraceID(), "a filtered call still carries the trace")
}

func TestUnknownMethodIsAnErrorWithBoundedAttributes(t *testing.T) {
	tp, rec := newProvider(t)
	opts := []otelnetrpc.Option{otelnetrpc.WithTracerProvider(tp), otelnetrpc.WithPropagators(propagator())}
	client := dial(t, startServer(t, otelnetrpc.Gob, calc.Calculator{}, opts...), otelnetrpc.Gob, opts...)

	var reply calc.Reply
	err := client.Call(context.Background(), "Calculator.Pow", &calc.Args{A: 2, B: 8}, &reply)
	require.EqualError(t, err, "rpc: can't find method Calculator.Pow")

	ss := byKind(t, waitSpans(t, rec, 2), trace.SpanKindServer)
	assert.Equal(t, codes.Error, ss.Status().Code)
	assert.Equal(t, "_OTHER", attr(ss, "rpc.method").AsString())
	assert.Equal(t, "Calculator.Pow", attr(ss, "rpc.method_original").AsString())
}

func TestUnknownFormatIsRejected(t *testing.T) {
	_, err := otelnetrpc.ServerCodecs("xml")
	require.EqualError(t, err, `otelnetrpc: unknown format "xml": want "gob" or "json"`)
}
