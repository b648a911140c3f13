// Package check is the sharedparent exercise's check. It serves the learner's speak on an
// in-memory gRPC connection, with a fake read and a fake sing behind it, sends two requests of one
// student at the same time, and reads each request's trace.
//
// The two requests overlap the same way on every run, not by luck: both wait at speak's door
// until both have arrived (a server interceptor, before speak's handler runs), and both wait
// inside read until both have called it. So speak's handler always runs twice at once, and
// anything the two requests share is always shared while both are using it.
package check

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
	"github.com/rpc-tracing/workbook/internal/exercise"
)

// Downstream is what the learner's speak is given to call: read's gRPC client, and the HTTP
// client and address of sing. Both clients record a client span for every call, in the trace
// of the context the call is made with.
type Downstream struct {
	Read    studyv1.ReadServiceClient
	Sing    *http.Client
	SingURL string
}

// student is one of the two requests: who sends it, its text, and what the messages call it.
type student struct{ name, text, who string }

// The two requests come from the same student, so nothing keyed by the student can keep them
// apart: only the request's own context can.
var students = []student{
	{"Ada", "Ada reads the notes twice.", "Ada's first request"},
	{"Ada", "Ada writes a poem about the rain.", "Ada's second request"},
}

// TwoStudents checks speak with two requests in flight at once: each request's calls to read and
// to sing must be in that request's own trace, each client span a child of speak's server span
// for the request, each server span a child of its client span.
func TwoStudents(t *testing.T, newService func(Downstream) studyv1.SpeakServiceServer) {
	t.Helper()
	exercise.NoLeaks(t)
	w := newWorld(t, newService)
	errs := make([]error, len(students))
	var wg sync.WaitGroup
	for i, s := range students {
		wg.Go(func() {
			_, errs[i] = w.speak.Speak(t.Context(), &studyv1.SpeakRequest{Student: s.name, Text: s.text})
		})
	}
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, "speak failed %s\nhint: speak should call read, then sing, and answer", students[i].who)
	}
	spans := map[trace.SpanID]sdktrace.ReadOnlySpan{}
	for _, s := range w.stop() {
		spans[s.SpanContext().SpanID()] = s
	}
	if w.alone() {
		t.Errorf("the two requests were never inside read at the same time (each waited %v for the other)\n"+
			"hint: a service serves many requests at once; a lock around the handler makes them take turns. "+
			"Keep them apart without making them wait for each other", wait)
	}
	for _, s := range students {
		for _, hop := range []string{"read", "sing"} {
			checkHop(t, w, spans, s, hop)
		}
	}
}

// checkHop checks s's call to hop: its client span under speak's span for s, in s's trace, and
// the hop's server span under the client span.
func checkHop(t *testing.T, w *world, spans map[trace.SpanID]sdktrace.ReadOnlySpan, s student, hop string) {
	t.Helper()
	speak := w.seen(key{"speak", s.text})
	at, ok := w.lookup(key{hop, s.text})
	if !ok {
		t.Errorf("%s never reached %s\nhint: speak calls read, then sing, for every request", s.who, hop)
		return
	}
	server := spans[at.SpanID()]
	client, ok := spans[server.Parent().SpanID()]
	if !ok || client.SpanKind() != trace.SpanKindClient {
		t.Errorf("%s's span %q for %s has no client span as its parent\n"+
			"hint: call %s with the client speak is given, which records the call", hop, server.Name(), s.who, hop)
		return
	}
	if got := client.SpanContext().TraceID(); got != speak.TraceID() {
		t.Errorf("the call to %s for %s (client span %q) landed in %s; want it in the trace of %s, %s, under speak's span for it\n"+
			"hint: the two requests were inside speak at the same time. Which context does this call get its "+
			"parent from, and can the other request change it before the call is made?",
			hop, s.who, client.Name(), w.whose(got), s.who, speak.TraceID())
		return
	}
	if got := client.Parent().SpanID(); got != speak.SpanID() {
		t.Errorf("the call to %s for %s (client span %q) is in its trace, but its parent is %s; want speak's span %s\n"+
			"hint: make the call with the context speak's handler is given for the request",
			hop, s.who, client.Name(), name(spans, got), speak.SpanID())
	}
	if server.SpanContext().TraceID() != client.SpanContext().TraceID() {
		t.Errorf("%s's span %q for %s is in %s, apart from its client span's trace %s\n"+
			"hint: call %s with the client speak is given, which sends the trace along",
			hop, server.Name(), s.who, w.whose(server.SpanContext().TraceID()), client.SpanContext().TraceID(), hop)
	}
}

// name describes the span id for a message.
func name(spans map[trace.SpanID]sdktrace.ReadOnlySpan, id trace.SpanID) string {
	if s, ok := spans[id]; ok {
		return fmt.Sprintf("span %q (%s)", s.Name(), id)
	}
	return fmt.Sprintf("span %s", id)
}
