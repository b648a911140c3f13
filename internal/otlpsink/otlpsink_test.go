package otlpsink_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/rpc-tracing/workbook/internal/otlpsink"
)

func TestTheSinkCountsWhatAnOTLPExporterSends(t *testing.T) {
	sink, err := otlpsink.Start()
	require.NoError(t, err)
	exp := exporterTo(t, sink)
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp))
	for range 7 {
		_, span := tp.Tracer("test").Start(context.Background(), "op")
		span.End()
	}
	require.NoError(t, tp.Shutdown(context.Background()))
	assert.EqualValues(t, 7, sink.Spans())
	assert.NoError(t, sink.Stop())
}

func TestADiscardingSinkTakesEverythingAndCountsNothing(t *testing.T) {
	sink, err := otlpsink.StartDiscarding()
	require.NoError(t, err)
	exp := exporterTo(t, sink)
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	_, span := tp.Tracer("test").Start(context.Background(), "op")
	span.End() // the syncer exports at once: an error would surface at shutdown
	require.NoError(t, tp.Shutdown(context.Background()))
	assert.Zero(t, sink.Spans())
	assert.NoError(t, sink.Stop())
}

// exporterTo returns an OTLP/gRPC trace exporter that sends to sink, as a service's would.
func exporterTo(t *testing.T, sink *otlpsink.Sink) *otlptrace.Exporter {
	t.Helper()
	exp, err := otlptracegrpc.New(context.Background(), otlptracegrpc.WithEndpoint(sink.Addr), otlptracegrpc.WithInsecure())
	require.NoError(t, err)
	return exp
}
