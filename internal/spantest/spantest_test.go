package spantest_test

import (
	"context"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/internal/spantest"
)

func TestPicksTheSpansOfACall(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tracer := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec)).Tracer("test")
	ctx, client := tracer.Start(context.Background(), "call", trace.WithSpanKind(trace.SpanKindClient))
	_, server := tracer.Start(ctx, "serve", trace.WithSpanKind(trace.SpanKindServer),
		trace.WithAttributes(attribute.String("rpc.method", "Add"), attribute.Int("rpc.grpc.status_code", 0)))
	go func() { server.End(); client.End() }() // spans end on another goroutine, as a server's do

	spans := spantest.Wait(t, rec, 2)
	got := spantest.OfKind(t, spans, trace.SpanKindServer)
	assert.Equal(t, "serve", got.Name())
	assert.Equal(t, "Add", spantest.Attr(got, "rpc.method"))
	assert.Equal(t, "0", spantest.Attr(got, "rpc.grpc.status_code"))
	assert.Empty(t, spantest.Attr(got, "rpc.service"), "an attribute the span does not have")
}

func TestOfKindFailsUnlessThereIsExactlyOne(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tracer := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec)).Tracer("test")
	for range 2 {
		_, s := tracer.Start(context.Background(), "call", trace.WithSpanKind(trace.SpanKindClient))
		s.End()
	}
	spans := rec.Ended()
	for _, kind := range []trace.SpanKind{trace.SpanKindServer, trace.SpanKindClient} {
		ft := &failT{TB: t}
		done := make(chan struct{})
		go func() { defer close(done); spantest.OfKind(ft, spans, kind) }()
		<-done
		assert.True(t, ft.failed, "%s: zero or two spans of the kind must fail the test", kind)
	}
}

// failT records a failure instead of failing the test it wraps; FailNow ends the goroutine, as
// testing's does.
type failT struct {
	testing.TB
	failed bool
}

func (f *failT) Helper()               {}
func (f *failT) Errorf(string, ...any) { f.failed = true }
func (f *failT) FailNow()              { f.failed = true; runtime.Goexit() }
