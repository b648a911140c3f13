package waterfall_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/internal/waterfall"
)

// TestReadStdoutRoundTrip writes spans with the real stdouttrace exporter and reads them back.
func TestReadStdoutRoundTrip(t *testing.T) {
	for _, pretty := range []bool{false, true} {
		var buf bytes.Buffer
		opts := []stdouttrace.Option{stdouttrace.WithWriter(&buf)}
		if pretty {
			opts = append(opts, stdouttrace.WithPrettyPrint())
		}
		exp, err := stdouttrace.New(opts...)
		require.NoError(t, err)
		tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp),
			sdktrace.WithResource(resource.NewSchemaless(semconv.ServiceName("calc-client"))))

		start := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
		ctx, parent := tp.Tracer("t").Start(context.Background(), "Calculator.Div",
			trace.WithSpanKind(trace.SpanKindClient), trace.WithTimestamp(start))
		_, child := tp.Tracer("t").Start(ctx, "calc.Div", trace.WithTimestamp(start.Add(time.Millisecond)))
		child.SetStatus(codes.Error, "division by zero")
		child.End(trace.WithTimestamp(start.Add(2 * time.Millisecond)))
		parent.End(trace.WithTimestamp(start.Add(3 * time.Millisecond)))
		require.NoError(t, tp.Shutdown(context.Background()))

		spans, err := waterfall.ReadStdout(&buf)
		require.NoError(t, err)
		require.Len(t, spans, 2)
		c, p := spans[0], spans[1] // exported in the order they ended
		assert.Equal(t, waterfall.Span{
			TraceID: parent.SpanContext().TraceID().String(), SpanID: child.SpanContext().SpanID().String(),
			ParentSpanID: parent.SpanContext().SpanID().String(), Service: "calc-client", Name: "calc.Div",
			Kind: "internal", Start: start.Add(time.Millisecond), Duration: time.Millisecond,
			Error: true, ErrorMessage: "division by zero",
		}, c)
		assert.Empty(t, p.ParentSpanID, "a root span has no parent")
		assert.Equal(t, "client", p.Kind)
		assert.Equal(t, 3*time.Millisecond, p.Duration)
	}
}

func TestReadStdoutRejectsGarbage(t *testing.T) {
	_, err := waterfall.ReadStdout(strings.NewReader(`{"Name":"ok"}{"Name":`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "read stdouttrace span 2")
}
