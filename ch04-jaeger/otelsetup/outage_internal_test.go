package otelsetup

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// flaky fails while down is set.
type flaky struct {
	sdktrace.SpanExporter
	down bool
}

func (f *flaky) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	if f.down {
		return errors.New("connection refused")
	}
	return f.SpanExporter.ExportSpans(ctx, spans)
}

func TestOutageIsLoggedOnceWhenItStartsAndOnceWhenItEnds(t *testing.T) {
	var logs bytes.Buffer
	inner := &flaky{SpanExporter: tracetest.NewInMemoryExporter(), down: true}
	exp := &outageLogger{SpanExporter: inner, logger: slog.New(slog.NewTextHandler(&logs, nil))}
	batch := make([]sdktrace.ReadOnlySpan, 3)

	for range 5 {
		assert.NoError(t, exp.ExportSpans(context.Background(), batch), "never an error for the batch processor to report per batch")
	}
	inner.down = false
	require.NoError(t, exp.ExportSpans(context.Background(), batch))
	require.NoError(t, exp.ExportSpans(context.Background(), batch))

	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	require.Len(t, lines, 2, "%s", logs.String())
	assert.Contains(t, lines[0], "span export failing")
	assert.Contains(t, lines[0], "connection refused")
	assert.Contains(t, lines[1], "span export recovered")
	assert.Contains(t, lines[1], "spans_lost=15")
}
