package waterfall

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// newProvider returns a TracerProvider for a service called name that records into rec, the way a
// client and a server each set up their own in separate programs.
func newProvider(t *testing.T, name string, rec *tracetest.SpanRecorder) *sdktrace.TracerProvider {
	t.Helper()
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithSpanProcessor(rec),
		sdktrace.WithResource(resource.NewSchemaless(semconv.ServiceName(name))),
	)
	t.Cleanup(func() { assert.NoError(t, tp.Shutdown(context.Background())) })
	return tp
}

// TestFromSDK records a real client span with a failing server child, plus a span whose parent is
// remote, through the OTel SDK, and checks every field the renderer relies on.
func TestFromSDK(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	client := newProvider(t, "calc-client", rec).Tracer("test")
	server := newProvider(t, "calc-server", rec).Tracer("test")

	ctx, clientSpan := client.Start(context.Background(), "Calculator.Div",
		trace.WithSpanKind(trace.SpanKindClient), trace.WithTimestamp(at(0)))
	_, serverSpan := server.Start(ctx, "Calculator.Div",
		trace.WithSpanKind(trace.SpanKindServer), trace.WithTimestamp(at(150*time.Microsecond)))
	serverSpan.SetStatus(codes.Error, "division by zero")
	serverSpan.End(trace.WithTimestamp(at(1050 * time.Microsecond)))
	clientSpan.End(trace.WithTimestamp(at(1200 * time.Microsecond)))

	// A server whose caller recorded nothing here: the parent arrives only as a remote context.
	remote := trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID{0x4b, 0xf9, 0x2f, 0x35}, SpanID: trace.SpanID{0x00, 0xf0, 0x67},
		TraceFlags: trace.FlagsSampled, Remote: true,
	})
	_, orphan := server.Start(trace.ContextWithRemoteSpanContext(context.Background(), remote), "Calculator.Add",
		trace.WithSpanKind(trace.SpanKindServer), trace.WithTimestamp(at(time.Second)))
	orphan.SetStatus(codes.Ok, "ignored: only an Error status carries a description")
	orphan.End(trace.WithTimestamp(at(time.Second + 300*time.Microsecond)))

	// An internal span that never ended: the recorder reports it as started only.
	_, unfinished := client.Start(context.Background(), "work", trace.WithTimestamp(at(0)))

	clientSC, serverSC := clientSpan.SpanContext(), serverSpan.SpanContext()
	require.Equal(t, clientSC.TraceID(), serverSC.TraceID(), "precondition: one trace across both sides")
	require.Len(t, rec.Ended(), 3)
	require.Len(t, rec.Started(), 4)
	converted := make(map[string]Span)
	for _, s := range FromSDK(rec.Ended()) {
		converted[s.SpanID] = s
	}
	// The recorder only hands out unfinished spans as read-write ones.
	for _, s := range FromSDK([]sdktrace.ReadOnlySpan{rec.Started()[3]}) {
		converted[s.SpanID] = s
	}

	tests := []struct {
		name string
		want Span
	}{
		{name: "client", want: Span{
			TraceID: clientSC.TraceID().String(), SpanID: clientSC.SpanID().String(),
			Service: "calc-client", Name: "Calculator.Div", Kind: "client",
			Start: at(0), Duration: 1200 * time.Microsecond,
		}},
		{name: "server child with error", want: Span{
			TraceID: serverSC.TraceID().String(), SpanID: serverSC.SpanID().String(),
			ParentSpanID: clientSC.SpanID().String(),
			Service:      "calc-server", Name: "Calculator.Div", Kind: "server",
			Start: at(150 * time.Microsecond), Duration: 900 * time.Microsecond,
			Error: true, ErrorMessage: "division by zero",
		}},
		{name: "remote parent kept", want: Span{
			TraceID: "4bf92f35000000000000000000000000", SpanID: orphan.SpanContext().SpanID().String(),
			ParentSpanID: "00f0670000000000",
			Service:      "calc-server", Name: "Calculator.Add", Kind: "server",
			Start: at(time.Second), Duration: 300 * time.Microsecond,
		}},
		{name: "unfinished has zero duration", want: Span{
			TraceID: unfinished.SpanContext().TraceID().String(), SpanID: unfinished.SpanContext().SpanID().String(),
			Service: "calc-client", Name: "work", Kind: "internal", Start: at(0),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := converted[tt.want.SpanID]
			require.True(t, ok, "no converted span with ID %s", tt.want.SpanID)
			assert.Equal(t, tt.want, got)
		})
	}
	unfinished.End()
}

func TestFromSDKEmpty(t *testing.T) {
	assert.Empty(t, FromSDK(nil))
}
