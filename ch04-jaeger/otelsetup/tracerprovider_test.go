package otelsetup_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/rpc-tracing/workbook/ch04-jaeger/otelsetup"
	"github.com/rpc-tracing/workbook/internal/baggagetest"
)

// keeper keeps its spans after shutdown (InMemoryExporter forgets them).
type keeper struct{ *tracetest.InMemoryExporter }

func (keeper) Shutdown(context.Context) error { return nil }

func TestTracerProviderNamesTheServiceAndCopiesBaggage(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tp, shutdown, err := otelsetup.NewTracerProvider(context.Background(), "read", keeper{exp})
	require.NoError(t, err)

	ctx := baggagetest.With(t, context.Background(), "study.student", "Ada Lovelace")
	_, span := tp.Tracer("test").Start(ctx, "work")
	span.End()
	require.NoError(t, shutdown(context.Background()), "shutdown flushes the batch")

	spans := exp.GetSpans()
	require.Len(t, spans, 1)
	assert.Contains(t, spans[0].Attributes, attribute.String("study.student", "Ada Lovelace"))
	name, _ := spans[0].Resource.Set().Value("service.name")
	assert.Equal(t, "read", name.AsString())
}
