// Package check is the baggagefilter exercise's check, shared by the stub you edit
// (exercises/baggagefilter, run with `make exercise EX=ch04/baggagefilter`) and the reference
// solution (solutions/baggagefilter). A caller sends listen a request whose baggage holds four
// members: the student, the request ID, a fault knob and a session token. listen's server span
// and a span its handler starts should carry the first two as attributes, and neither of the
// others.
package check

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/rpc-tracing/workbook/ch04-jaeger/faults"
	"github.com/rpc-tracing/workbook/ch04-jaeger/listen"
	"github.com/rpc-tracing/workbook/internal/exercise"
)

// The caller's baggage: two members meant for spans, a knob, and a secret.
const (
	student   = "Ada"
	requestID = "R1"
	slow      = "read"
	token     = "secret"
	tokenKey  = "session.token"
)

// kept and dropped are the members the check expects on spans, and those it expects left out.
var (
	kept = []attribute.KeyValue{attribute.String(listen.BaggageStudent, student), attribute.String(listen.BaggageRequestID, requestID)}
	// Besides a knob and a token, keys the filter cannot know in advance: an allow-list drops
	// them, a deny-list of the known bad keys lets them through.
	dropped = []attribute.KeyValue{attribute.String(faults.BaggageSlow, slow), attribute.String(tokenKey, token),
		attribute.String("user.email", "ada@example.com"), attribute.String("study.email", "ada@example.com")}
)

// Allowed checks the filter on its own: it keeps the student and the request ID, and nothing else.
func Allowed(t *testing.T, allowed func(baggage.Member) bool) {
	t.Helper()
	exercise.NoLeaks(t)
	cases := append([]attribute.KeyValue{}, kept...)
	cases = append(cases, dropped...)
	cases = append(cases, attribute.String(faults.BaggageFail, "sing"))
	for i, kv := range cases {
		m, err := baggage.NewMemberRaw(string(kv.Key), kv.Value.AsString())
		require.NoError(t, err)
		want := i < len(kept)
		if got := allowed(m); got != want {
			t.Errorf("Allowed(%s=%q) = %v, want %v: only %s and %s are meant for spans\n"+
				"hint: Allowed should say yes to a member whose key (m.Key()) is in SpanAttributes, and no to any other; "+
				"SpanAttributes should hold listen.BaggageStudent and listen.BaggageRequestID",
				kv.Key, kv.Value.AsString(), got, want, listen.BaggageStudent, listen.BaggageRequestID)
		}
	}
}

// OnlyAllowedMembersBecomeAttributes serves one request through otelhttp, with a TracerProvider
// that runs the span processor newProcessor makes, and checks the attributes of listen's server
// span and of the span its handler starts.
func OnlyAllowedMembersBecomeAttributes(t *testing.T, newProcessor func() sdktrace.SpanProcessor) {
	t.Helper()
	exercise.NoLeaks(t)
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(newProcessor()), sdktrace.WithSpanProcessor(rec))
	prop := propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
	work := func(w http.ResponseWriter, r *http.Request) {
		_, span := tp.Tracer("check").Start(r.Context(), "work")
		span.End()
	}
	handler := otelhttp.NewHandler(http.HandlerFunc(work), "listen",
		otelhttp.WithTracerProvider(tp), otelhttp.WithPropagators(prop),
		otelhttp.WithSpanNameFormatter(func(op string, _ *http.Request) string { return op }))

	req := httptest.NewRequest(http.MethodGet, "/listen", nil)
	prop.Inject(baggage.ContextWithBaggage(context.Background(), callersBaggage(t)), propagation.HeaderCarrier(req.Header))
	handler.ServeHTTP(httptest.NewRecorder(), req)
	require.NoError(t, tp.Shutdown(context.Background()))

	spans := map[string]sdktrace.ReadOnlySpan{}
	for _, s := range rec.Ended() {
		spans[s.Name()] = s
	}
	for _, name := range []string{"listen", "work"} {
		span, ok := spans[name]
		if !ok {
			t.Errorf("want a span %q; found %d spans\nhint: NewSpanProcessor must return a span processor that only adds attributes", name, len(rec.Ended()))
			continue
		}
		checkAttributes(t, span)
	}
}

// callersBaggage is the baggage the caller sends: the members of kept and dropped.
func callersBaggage(t *testing.T) baggage.Baggage {
	t.Helper()
	var members []baggage.Member
	for _, kv := range append(append([]attribute.KeyValue{}, kept...), dropped...) {
		m, err := baggage.NewMemberRaw(string(kv.Key), kv.Value.AsString())
		require.NoError(t, err)
		members = append(members, m)
	}
	b, err := baggage.New(members...)
	require.NoError(t, err)
	return b
}

// checkAttributes checks that span has kept's attributes and none of dropped's.
func checkAttributes(t *testing.T, span sdktrace.ReadOnlySpan) {
	t.Helper()
	attrs := map[attribute.Key]attribute.Value{}
	for _, kv := range span.Attributes() {
		attrs[kv.Key] = kv.Value
	}
	for _, kv := range kept {
		if got, ok := attrs[kv.Key]; !ok {
			t.Errorf("the span %q has no attribute %q (want %q, from the caller's baggage)\n"+
				"hint: the student and the request ID are the members meant for spans; does your filter keep them?",
				span.Name(), kv.Key, kv.Value.AsString())
		} else if got != kv.Value {
			t.Errorf("the span %q has %s = %s, want %q", span.Name(), kv.Key, got.String(), kv.Value.AsString())
		}
	}
	for _, kv := range dropped {
		if got, ok := attrs[kv.Key]; ok {
			t.Errorf("the span %q has attribute %s = %q, copied from the caller's baggage; want it left out: only %s and %s belong on spans\n"+
				"hint: baggagecopy.NewSpanProcessor copies what its filter says yes to. Does NewSpanProcessor give it Allowed, "+
				"rather than baggagecopy.AllowAllMembers, and does Allowed say no to %q?",
				span.Name(), kv.Key, got.String(), listen.BaggageStudent, listen.BaggageRequestID, kv.Key)
		}
	}
}
