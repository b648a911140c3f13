package tracelog_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/rpc-tracing/workbook/ch05-monitoring/tracelog"
)

func records(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	dec := json.NewDecoder(buf)
	for dec.More() {
		var r map[string]any
		require.NoError(t, dec.Decode(&r))
		out = append(out, r)
	}
	return out
}

func TestRecordsInASpanNameIt(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(tracelog.New(slog.NewJSONHandler(&buf, nil))).With("service", "read")
	tp := sdktrace.NewTracerProvider()
	defer func() { require.NoError(t, tp.Shutdown(context.Background())) }()
	ctx, span := tp.Tracer("test").Start(context.Background(), "work")
	defer span.End()

	logger.InfoContext(ctx, "inside")
	logger.WithGroup("g").WarnContext(ctx, "grouped", "k", "v")
	logger.Info("no context")

	recs := records(t, &buf)
	require.Len(t, recs, 3)
	for _, r := range recs[:2] {
		assert.Equal(t, span.SpanContext().TraceID().String(), r[tracelog.TraceIDKey], r["msg"])
		assert.Equal(t, span.SpanContext().SpanID().String(), r[tracelog.SpanIDKey], r["msg"])
		assert.Equal(t, "read", r["service"], "With attributes survive")
	}
	assert.NotContains(t, recs[2], tracelog.TraceIDKey, "no span, no IDs")
}
