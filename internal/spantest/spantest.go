// Package spantest picks out, in a test, the spans an in-memory recorder holds: all of them once
// they have ended, the one of a kind, an attribute's value. The chapters' tests assert a trace's
// shape through it.
package spantest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// Wait waits until rec holds n ended spans and returns them, failing the test if there are more.
// The two sides of a call end their spans independently: a server ends its span after writing
// the reply, so the client can hold its answer a moment before the server's span has ended.
func Wait(t testing.TB, rec *tracetest.SpanRecorder, n int) []sdktrace.ReadOnlySpan {
	t.Helper()
	require.Eventually(t, func() bool { return len(rec.Ended()) >= n }, 5*time.Second, time.Millisecond,
		"waiting for %d ended spans", n)
	spans := rec.Ended()
	require.Len(t, spans, n)
	return spans
}

// OfKind returns the one span of the given kind, failing the test if there is not exactly one.
func OfKind(t testing.TB, spans []sdktrace.ReadOnlySpan, kind trace.SpanKind) sdktrace.ReadOnlySpan {
	t.Helper()
	var found []sdktrace.ReadOnlySpan
	for _, s := range spans {
		if s.SpanKind() == kind {
			found = append(found, s)
		}
	}
	require.Len(t, found, 1, "spans of kind %s", kind)
	return found[0]
}

// Attr returns the value of the span's attribute key as a string, "" when the span has none.
func Attr(s sdktrace.ReadOnlySpan, key attribute.Key) string {
	for _, kv := range s.Attributes() {
		if kv.Key == key {
			return kv.Value.String()
		}
	}
	return ""
}
