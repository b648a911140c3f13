package baggagefilter_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/baggage"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/ch04-jaeger/faults"
	"github.com/rpc-tracing/workbook/ch04-jaeger/listen"
	"github.com/rpc-tracing/workbook/ch04-jaeger/solutions/baggagefilter"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestOnlyAllowedMembersBecomeAttributes(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(baggagefilter.NewSpanProcessor()), sdktrace.WithSpanProcessor(rec))
	defer func() { require.NoError(t, tp.Shutdown(context.Background())) }()

	var members []baggage.Member
	for k, v := range map[string]string{listen.BaggageStudent: "Ada", listen.BaggageRequestID: "R1", faults.BaggageSlow: "read", "session.token": "secret"} {
		m, err := baggage.NewMemberRaw(k, v)
		require.NoError(t, err)
		members = append(members, m)
	}
	b, err := baggage.New(members...)
	require.NoError(t, err)
	_, span := tp.Tracer("test").Start(baggage.ContextWithBaggage(context.Background(), b), "work")
	span.End()

	require.Len(t, rec.Ended(), 1)
	assert.ElementsMatch(t, []attribute.KeyValue{
		attribute.String(listen.BaggageStudent, "Ada"),
		attribute.String(listen.BaggageRequestID, "R1"),
	}, rec.Ended()[0].Attributes(), "the knob and the token stay out of the trace")
}
