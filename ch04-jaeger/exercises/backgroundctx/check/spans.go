package check

import (
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// method is the name otelgrpc gives both spans of a call to speak.
const method = "study.v1.SpeakService/Speak"

// checkTrace checks the request's spans: one trace, listen's span its root, the call's client
// span under it and speak's server span under the call.
func checkTrace(t *testing.T, spans []sdktrace.ReadOnlySpan) {
	t.Helper()
	find := func(name string, kind trace.SpanKind) sdktrace.ReadOnlySpan {
		for _, s := range spans {
			if s.Name() == name && s.SpanKind() == kind {
				return s
			}
		}
		return nil
	}
	listen, client, server := find("listen", trace.SpanKindServer), find(method, trace.SpanKindClient), find(method, trace.SpanKindServer)
	if listen == nil || client == nil || server == nil {
		t.Errorf("want listen's server span %q, the client span %q of its call to speak and speak's server span %q; found %s\n"+
			"hint: call speak with the client the handler is given", "listen", method, method, names(spans))
		return
	}
	request := listen.SpanContext().TraceID()
	// A span without a parent starts a trace; listen's should be the only one.
	for _, s := range []sdktrace.ReadOnlySpan{client, server} {
		if !s.Parent().IsValid() {
			t.Errorf("the %s span %q started a trace of its own (%s), apart from the request's trace %s, whose root is listen's span %q;\n"+
				"want it under listen's span, in the request's trace\n"+
				"hint: the request's trace travels in the request's context. Which context is the call to speak made with?",
				s.SpanKind(), s.Name(), s.SpanContext().TraceID(), request, listen.Name())
			return
		}
	}
	want := []struct {
		span, parent sdktrace.ReadOnlySpan
	}{{client, listen}, {server, client}}
	for _, w := range want {
		if got := w.span.SpanContext().TraceID(); got != request {
			t.Errorf("the %s span %q is in trace %s; want the request's trace %s\n"+
				"hint: make the call to speak with the context of the request being served",
				w.span.SpanKind(), w.span.Name(), got, request)
		} else if got := w.span.Parent().SpanID(); got != w.parent.SpanContext().SpanID() {
			t.Errorf("the %s span %q has parent %s; want the %s span %q (%s)\n"+
				"hint: make the call to speak with the context of the request being served",
				w.span.SpanKind(), w.span.Name(), got, w.parent.SpanKind(), w.parent.Name(), w.parent.SpanContext().SpanID())
		}
	}
}

// names lists the spans recorded, for a message.
func names(spans []sdktrace.ReadOnlySpan) string {
	if len(spans) == 0 {
		return "no spans"
	}
	out := ""
	for i, s := range spans {
		if i > 0 {
			out += ", "
		}
		out += s.SpanKind().String() + " " + `"` + s.Name() + `"`
	}
	return out
}
