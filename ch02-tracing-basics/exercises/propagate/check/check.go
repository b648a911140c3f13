// Package check is the check of chapter 2's second exercise, shared by the stub you edit
// (exercises/propagate, run with `make exercise EX=ch02/propagate`) and the reference solution
// (solutions/propagate). Client and server each get a TracerProvider of their own, as two
// services would; the header lines Call sends are handed to Handle, as a wire would.
package check

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/internal/baggagetest"
	"github.com/rpc-tracing/workbook/internal/exercise"
)

// Impl is the exercise's two functions.
type Impl struct {
	Call   func(ctx context.Context, tracer trace.Tracer, p propagation.TextMapPropagator, method string, send func(ctx context.Context, header []string) error) error
	Handle func(tracer trace.Tracer, p propagation.TextMapPropagator, method string, header []string, work func(ctx context.Context) error) error
}

const method = "Calculator.Add"

// All runs every check of the exercise.
func All(t *testing.T, impl Impl) {
	t.Helper()
	t.Run("the server span is the client span's child", func(t *testing.T) { ServerSpanIsChildOfClientSpan(t, impl) })
	t.Run("the header carries a traceparent line", func(t *testing.T) { HeaderCarriesTraceparent(t, impl) })
	t.Run("baggage reaches the server's work", func(t *testing.T) { BaggageReachesTheWork(t, impl) })
	t.Run("a key set twice is sent once", func(t *testing.T) { KeySetTwiceIsSentOnce(t, impl) })
	t.Run("the carrier lists its keys", func(t *testing.T) { CarrierListsItsKeys(t, impl) })
	t.Run("no or bad context starts a new trace", func(t *testing.T) { NoOrBadContextStartsANewTrace(t, impl) })
}

// hop makes one call from a client provider to a server provider with propagator p and returns
// both spans, the header lines that travelled, and the context the server's work got.
func hop(t *testing.T, impl Impl, p propagation.TextMapPropagator, ctx context.Context) (client, server sdktrace.ReadOnlySpan, header []string, workCtx context.Context) {
	t.Helper()
	clientRec, serverRec := tracetest.NewSpanRecorder(), tracetest.NewSpanRecorder()
	clientTP := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(clientRec))
	serverTP := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(serverRec))
	t.Cleanup(func() {
		require.NoError(t, clientTP.Shutdown(context.Background()))
		require.NoError(t, serverTP.Shutdown(context.Background()))
	})
	err := impl.Call(ctx, clientTP.Tracer("client"), p, method, func(_ context.Context, h []string) error {
		header = append([]string(nil), h...)
		return impl.Handle(serverTP.Tracer("server"), p, method, h, func(ctx context.Context) error {
			workCtx = ctx
			return nil
		})
	})
	require.NoError(t, err, "a call whose work succeeds must succeed")
	require.Len(t, clientRec.Ended(), 1, "Call must start and end one CLIENT span")
	require.Len(t, serverRec.Ended(), 1, "Handle must start and end one SERVER span")
	return clientRec.Ended()[0], serverRec.Ended()[0], header, workCtx
}

// ServerSpanIsChildOfClientSpan checks the trace's shape: one trace ID on both sides, the
// client's span as the server span's remote parent, and the server's work running under the
// server span.
func ServerSpanIsChildOfClientSpan(t *testing.T, impl Impl) {
	t.Helper()
	exercise.NoLeaks(t)
	cs, ss, header, workCtx := hop(t, impl, propagation.TraceContext{}, context.Background())
	if workCtx != nil && trace.SpanContextFromContext(workCtx).SpanID() != ss.SpanContext().SpanID() {
		t.Errorf("the server's work ran in a context without the SERVER span, so the spans the work starts would " +
			"not be its children\nhint: in Handle, run work with the context tracer.Start returned")
	}
	if !ss.Parent().IsValid() {
		t.Fatalf("the SERVER span %q has no parent: it started a new trace (header sent: %q)\nhint: in Call, p.Inject(ctx, headerCarrier{&header}) after Start; in Handle, ctx := p.Extract(context.Background(), headerCarrier{&header}) before Start; and make the carrier's Set and Get work", ss.Name(), header)
	}
	if cs.SpanContext().TraceID() != ss.SpanContext().TraceID() {
		t.Errorf("the SERVER span is in trace %s, the CLIENT span in trace %s: want one trace\nhint: inject the context returned by Start (it holds the CLIENT span), not the one Call received", ss.SpanContext().TraceID(), cs.SpanContext().TraceID())
	}
	if ss.Parent().SpanID() != cs.SpanContext().SpanID() {
		t.Errorf("the SERVER span's parent is span %s, want the CLIENT span %s\nhint: inject the context returned by tracer.Start in Call", ss.Parent().SpanID(), cs.SpanContext().SpanID())
	}
	if !ss.Parent().IsRemote() {
		t.Errorf("the SERVER span's parent is not marked remote\nhint: the parent must come from p.Extract, which marks it remote")
	}
}

// HeaderCarriesTraceparent checks the wire: a line "traceparent: 00-<trace>-<client span>-01".
func HeaderCarriesTraceparent(t *testing.T, impl Impl) {
	t.Helper()
	exercise.NoLeaks(t)
	cs, _, header, _ := hop(t, impl, propagation.TraceContext{}, context.Background())
	want := fmt.Sprintf("traceparent: 00-%s-%s-01", cs.SpanContext().TraceID(), cs.SpanContext().SpanID())
	for _, line := range header {
		if line == want {
			return
		}
	}
	t.Errorf("the header lines sent were %q, want a line %q\nhint: headerCarrier.Set(key, value) must append the line key + \": \" + value", header, want)
}

// BaggageReachesTheWork sends baggage (tenant=acme) with the W3C baggage propagator beside trace
// context, and checks that the server's work finds it in its context.
func BaggageReachesTheWork(t *testing.T, impl Impl) {
	t.Helper()
	exercise.NoLeaks(t)
	p := propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
	_, _, header, workCtx := hop(t, impl, p, baggagetest.With(t, context.Background(), "tenant", "acme"))
	if got := baggage.FromContext(workCtx).Member("tenant").Value(); got != "acme" {
		t.Errorf("the server's work found baggage tenant=%q, want \"acme\" (header sent: %q)\nhint: Handle must run work with the context Extract returned, through Start; Get must find the \"baggage\" line too", got, header)
	}
}

// carrierProbe is a propagator that tests the carrier itself: Inject sets each key-value pair in
// order, and Extract notes in the context what the carrier then gives back, Get of every key and
// Keys (what a propagator that copies every field it does not know, or a logger of the header,
// relies on).
type carrierProbe [][2]string

// probed is what carrierProbe's Extract found.
type probed struct {
	get  map[string]string
	keys []string
}

type probedKey struct{}

func (p carrierProbe) Inject(_ context.Context, c propagation.TextMapCarrier) {
	for _, kv := range p {
		c.Set(kv[0], kv[1])
	}
}

func (p carrierProbe) Extract(ctx context.Context, c propagation.TextMapCarrier) context.Context {
	got := probed{get: map[string]string{}, keys: c.Keys()}
	for _, kv := range p {
		got.get[kv[0]] = c.Get(kv[0])
	}
	return context.WithValue(ctx, probedKey{}, got)
}

func (p carrierProbe) Fields() []string {
	var keys []string
	for _, kv := range p {
		if !slices.Contains(keys, kv[0]) {
			keys = append(keys, kv[0])
		}
	}
	return keys
}

// probedWork returns what carrierProbe's Extract noted in the context the server's work got. When
// there is nothing to read, it says why, once, and returns false: Call sent no header lines, or
// the work did not get the context Extract returned. Either way Get and Keys were not to blame.
func probedWork(t *testing.T, header []string, workCtx context.Context) (probed, bool) {
	t.Helper()
	if len(header) == 0 {
		t.Errorf("Call sent no header lines, so there was nothing for the carrier to give back on the server\n" +
			"hint: Call must Inject through a carrier whose Set adds a \"key: value\" line")
		return probed{}, false
	}
	var got probed
	ok := workCtx != nil
	if ok {
		got, ok = workCtx.Value(probedKey{}).(probed)
	}
	if !ok {
		t.Errorf("the server's work did not get the context Extract returned, so what the carrier gave Extract was lost\n" +
			"hint: in Handle, keep Extract's result (ctx = p.Extract(ctx, carrier)), then start the span and run work with it")
	}
	return got, ok
}

// KeySetTwiceIsSentOnce checks that Set replaces: a key written twice travels once, last value.
func KeySetTwiceIsSentOnce(t *testing.T, impl Impl) {
	t.Helper()
	exercise.NoLeaks(t)
	_, _, header, workCtx := hop(t, impl, carrierProbe{{"x-attempt", "1"}, {"x-attempt", "2"}}, context.Background())
	var lines []string
	for _, line := range header {
		if strings.HasPrefix(line, "x-attempt") {
			lines = append(lines, line)
		}
	}
	if len(lines) != 1 || lines[0] != "x-attempt: 2" {
		hint := "Set replaces the line with the same key instead of appending a second one"
		if len(lines) == 0 {
			hint = "Set must add the line key + \": \" + value"
		}
		t.Errorf("after Set(\"x-attempt\", \"1\") and Set(\"x-attempt\", \"2\") the header lines were %q, want exactly [\"x-attempt: 2\"]\nhint: %s", header, hint)
		return // Get cannot be judged on lines Set got wrong
	}
	if got, ok := probedWork(t, header, workCtx); ok && got.get["x-attempt"] != "2" {
		t.Errorf("on the server, Get(\"x-attempt\") returned %q, want \"2\"\nhint: Get returns the value after \"key: \" on the line with that key", got.get["x-attempt"])
	}
}

// NoOrBadContextStartsANewTrace calls Handle directly with no header and with a malformed
// traceparent: the work still runs, and the SERVER span is the root of a new trace.
func NoOrBadContextStartsANewTrace(t *testing.T, impl Impl) {
	t.Helper()
	exercise.NoLeaks(t)
	for name, header := range map[string][]string{
		"no header":         nil,
		"a bad traceparent": {"traceparent: 00-not-a-trace-context-01"},
	} {
		t.Run(name, func(t *testing.T) {
			rec := tracetest.NewSpanRecorder()
			tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
			t.Cleanup(func() { require.NoError(t, tp.Shutdown(context.Background())) })
			ran := false
			err := impl.Handle(tp.Tracer("server"), propagation.TraceContext{}, method, header, func(context.Context) error {
				ran = true
				return nil
			})
			if err != nil || !ran {
				t.Fatalf("Handle with %s: err = %v, work ran = %v; want nil and true\nhint: tracing must never fail a call: a missing or bad context just starts a new trace", name, err, ran)
			}
			require.Len(t, rec.Ended(), 1, "Handle must start and end one SERVER span")
			if s := rec.Ended()[0]; s.Parent().IsValid() || !s.SpanContext().IsValid() {
				t.Errorf("Handle with %s: the SERVER span's parent is %v, want none (a new root trace)", name, s.Parent().SpanID())
			}
		})
	}
}

// CarrierListsItsKeys checks the carrier's Keys: the keys of the header lines, in order; and that
// Get matches a whole key, when one key is the start of another.
func CarrierListsItsKeys(t *testing.T, impl Impl) {
	t.Helper()
	exercise.NoLeaks(t)
	// x-ab comes before x-a, so a Get that matches a line by its prefix finds the wrong one.
	probe := carrierProbe{{"traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"},
		{"baggage", "tenant=acme"}, {"x-ab", "long"}, {"x-a", "short"}}
	_, _, header, workCtx := hop(t, impl, probe, context.Background())
	got, ok := probedWork(t, header, workCtx)
	if !ok {
		return
	}
	if want := []string{"traceparent", "baggage", "x-ab", "x-a"}; !slices.Equal(got.keys, want) {
		t.Errorf("for the header lines %q the carrier's Keys returned %q, want %q\nhint: Keys must return the part before \": \" of every line, in order", header, got.keys, want)
	}
	if v := got.get["x-a"]; v != "short" {
		t.Errorf("for the header lines %q, Get(\"x-a\") returned %q, want \"short\"\nhint: Get must match the whole key, the part before \": \", not a line that merely starts with it", header, v)
	}
}
