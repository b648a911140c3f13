package telemetry_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/rpc-tracing/workbook/ch02-tracing-basics/telemetry"
)

// keeper is an in-memory exporter that keeps its spans after shutdown (InMemoryExporter forgets
// them), so a test can look at what the final flush delivered.
type keeper struct{ *tracetest.InMemoryExporter }

func (keeper) Shutdown(context.Context) error { return nil }

// setup builds a provider exporting to memory with a batch timeout far longer than any test, so
// spans leave the batch only when something flushes them.
func setup(t *testing.T, cfg telemetry.Config) (*sdktrace.TracerProvider, func(context.Context) error, *tracetest.InMemoryExporter) {
	t.Helper()
	exp := tracetest.NewInMemoryExporter()
	cfg.Exporter = keeper{exp}
	cfg.BatchOptions = []sdktrace.BatchSpanProcessorOption{sdktrace.WithBatchTimeout(time.Hour)}
	tp, shutdown, err := telemetry.NewTracerProvider(context.Background(), cfg)
	require.NoError(t, err)
	return tp, shutdown, exp
}

func TestShutdownFlushesSpansEndedJustBefore(t *testing.T) {
	tp, shutdown, exp := setup(t, telemetry.Config{ServiceName: "flush"})
	_, span := tp.Tracer("test").Start(context.Background(), "last words")
	span.End()
	assert.Empty(t, exp.GetSpans(), "still in the batch")

	require.NoError(t, shutdown(context.Background()))
	spans := exp.GetSpans()
	require.Len(t, spans, 1)
	assert.Equal(t, "last words", spans[0].Name)
}

func TestServiceNameFromCodeOrEnvironment(t *testing.T) {
	cases := []struct{ name, env, want string }{
		{"from code", "", "calc-server"},
		{"OTEL_SERVICE_NAME wins", "renamed", "renamed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("OTEL_SERVICE_NAME", tc.env)
			tp, shutdown, exp := setup(t, telemetry.Config{ServiceName: "calc-server"})
			_, span := tp.Tracer("test").Start(context.Background(), "x")
			span.End()
			require.NoError(t, shutdown(context.Background()))
			require.Len(t, exp.GetSpans(), 1)
			name, ok := exp.GetSpans()[0].Resource.Set().Value("service.name")
			require.True(t, ok)
			assert.Equal(t, tc.want, name.AsString())
		})
	}
}

func TestSamplerFromEnvironmentUnlessSetInCode(t *testing.T) {
	t.Setenv("OTEL_TRACES_SAMPLER", "always_off")
	cases := []struct {
		name    string
		sampler sdktrace.Sampler
		want    int
	}{
		{"environment decides", nil, 0},
		{"code wins", sdktrace.AlwaysSample(), 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tp, shutdown, exp := setup(t, telemetry.Config{Sampler: tc.sampler})
			_, span := tp.Tracer("test").Start(context.Background(), "x")
			span.End()
			require.NoError(t, shutdown(context.Background()))
			assert.Len(t, exp.GetSpans(), tc.want)
		})
	}
}

func TestNewTracerProviderLeavesTheGlobalPropagatorAlone(t *testing.T) {
	noop := propagation.NewCompositeTextMapPropagator() // the SDK's default: propagates nothing
	otel.SetTextMapPropagator(noop)
	_, shutdown, _ := setup(t, telemetry.Config{})
	defer func() { require.NoError(t, shutdown(context.Background())) }()
	assert.Empty(t, otel.GetTextMapPropagator().Fields(), "still the no-op default")
}

func TestPropagatorIsTraceContextAndBaggage(t *testing.T) {
	assert.ElementsMatch(t, []string{"traceparent", "tracestate", "baggage"}, telemetry.Propagator().Fields())
}

func TestDefaultExporterWritesJSON(t *testing.T) {
	var buf bytes.Buffer
	tp, shutdown, err := telemetry.NewTracerProvider(context.Background(), telemetry.Config{ServiceName: "calc", Writer: &buf})
	require.NoError(t, err)
	_, span := tp.Tracer("test").Start(context.Background(), "written")
	span.End()
	require.NoError(t, shutdown(context.Background()))
	assert.Contains(t, buf.String(), `"Name":"written"`)
}

// marker is a span processor that stamps every span as it starts.
type marker struct{ sdktrace.SpanProcessor }

func (marker) OnStart(_ context.Context, s sdktrace.ReadWriteSpan) {
	s.SetAttributes(attribute.Bool("marked", true))
}

func TestExtraProcessorsSeeEverySpan(t *testing.T) {
	tp, shutdown, exp := setup(t, telemetry.Config{Processors: []sdktrace.SpanProcessor{marker{sdktrace.NewSimpleSpanProcessor(tracetest.NewInMemoryExporter())}}})
	_, span := tp.Tracer("test").Start(context.Background(), "x")
	span.End()
	require.NoError(t, shutdown(context.Background()))
	require.Len(t, exp.GetSpans(), 1)
	assert.Contains(t, exp.GetSpans()[0].Attributes, attribute.Bool("marked", true))
}
