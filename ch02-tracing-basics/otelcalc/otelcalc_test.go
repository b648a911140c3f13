package otelcalc_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch02-tracing-basics/otelcalc"
)

// side is one end of a call: its provider, what it recorded and what it logged.
type side struct {
	tp   *sdktrace.TracerProvider
	rec  *tracetest.SpanRecorder
	logs *bytes.Buffer
}

func newSide(t *testing.T, sampler sdktrace.Sampler) side {
	t.Helper()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sampler), sdktrace.WithSpanProcessor(rec))
	t.Cleanup(func() { require.NoError(t, tp.Shutdown(context.Background())) })
	return side{tp: tp, rec: rec, logs: &bytes.Buffer{}}
}

func (s side) logger() *slog.Logger { return slog.New(slog.NewJSONHandler(s.logs, nil)) }

// logged returns the JSON log records, in order.
func (s side) logged(t *testing.T) []map[string]any {
	t.Helper()
	var records []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(s.logs.String()), "\n") {
		var r map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &r))
		records = append(records, r)
	}
	return records
}

// connect serves an otelcalc.Calculator on a loopback port and returns a client for it.
func connect(t *testing.T, client, server side) *otelcalc.Client {
	t.Helper()
	prop := propagation.TraceContext{}
	srv, err := calc.NewServer(calc.WithReceiver(otelcalc.NewCalculator(server.tp, prop, server.logger())))
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	rc, err := calc.Dial(ctx, ln.Addr().String(), calc.Gob)
	require.NoError(t, err)
	t.Cleanup(func() {
		rc.Close()
		cancel()
		require.NoError(t, <-done)
	})
	return otelcalc.NewClient(rc, client.tp, prop, client.logger())
}

func TestOneCallIsOneTraceOfTwoSpans(t *testing.T) {
	client, server := newSide(t, sdktrace.AlwaysSample()), newSide(t, sdktrace.AlwaysSample())
	c := connect(t, client, server)

	got, err := c.Do(context.Background(), calc.OpAdd, 2, 3)
	require.NoError(t, err)
	assert.Equal(t, 5, got)

	require.Len(t, client.rec.Ended(), 1)
	require.Len(t, server.rec.Ended(), 1)
	cs, ss := client.rec.Ended()[0], server.rec.Ended()[0]
	assert.Equal(t, trace.SpanKindClient, cs.SpanKind())
	assert.Equal(t, trace.SpanKindServer, ss.SpanKind())
	assert.Equal(t, "Calculator.Add", ss.Name())
	assert.Equal(t, cs.SpanContext().TraceID(), ss.SpanContext().TraceID())
	assert.Equal(t, cs.SpanContext().SpanID(), ss.Parent().SpanID())

	// Both sides logged the trace ID the spans carry.
	assert.Equal(t, cs.SpanContext().TraceID().String(), client.logged(t)[0]["trace_id"])
	assert.Equal(t, cs.SpanContext().TraceID().String(), server.logged(t)[0]["trace_id"])
}

func TestDivisionByZeroMarksBothSpansAsErrors(t *testing.T) {
	client, server := newSide(t, sdktrace.AlwaysSample()), newSide(t, sdktrace.AlwaysSample())
	c := connect(t, client, server)

	_, err := c.Do(context.Background(), calc.OpDiv, 7, 0)
	require.ErrorIs(t, err, calc.ErrDivisionByZero)

	for _, s := range append(client.rec.Ended(), server.rec.Ended()...) {
		assert.Equal(t, codes.Error, s.Status().Code, s.SpanKind())
		assert.Equal(t, "division by zero", s.Status().Description)
	}
	assert.Equal(t, "ERROR", server.logged(t)[0]["level"])
}

// TestSampling shows which side records spans for each pair of samplers, and that the trace
// context reaches the server whatever was decided.
func TestSampling(t *testing.T) {
	cases := []struct {
		name                   string
		client, server         sdktrace.Sampler
		clientSpans, srvSpans  int
		serverSampledInLogLine bool
	}{
		{"always on", sdktrace.AlwaysSample(), sdktrace.ParentBased(sdktrace.AlwaysSample()), 1, 1, true},
		{"always off at the entry", sdktrace.NeverSample(), sdktrace.ParentBased(sdktrace.AlwaysSample()), 0, 0, false},
		{"ratio 0 at the entry", sdktrace.TraceIDRatioBased(0), sdktrace.ParentBased(sdktrace.AlwaysSample()), 0, 0, false},
		{"ratio 1 at the entry", sdktrace.TraceIDRatioBased(1), sdktrace.ParentBased(sdktrace.NeverSample()), 1, 1, true},
		{"parent's yes wins over the server's own no", sdktrace.AlwaysSample(), sdktrace.ParentBased(sdktrace.NeverSample()), 1, 1, true},
		{"a server ignoring its parent records a broken trace", sdktrace.NeverSample(), sdktrace.AlwaysSample(), 0, 1, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			client, server := newSide(t, tc.client), newSide(t, tc.server)
			c := connect(t, client, server)

			_, err := c.Do(context.Background(), calc.OpMul, 6, 7)
			require.NoError(t, err)

			assert.Len(t, client.rec.Ended(), tc.clientSpans)
			assert.Len(t, server.rec.Ended(), tc.srvSpans)
			clientLog, serverLog := client.logged(t)[0], server.logged(t)[0]
			assert.Equal(t, clientLog["trace_id"], serverLog["trace_id"], "the context propagates, sampled or not")
			assert.Equal(t, tc.serverSampledInLogLine, serverLog["sampled"])
		})
	}
}

// TestRatioSamplerDecidesFromTheTraceID pins how TraceIDRatioBased decides: from the trace ID
// alone, so every service that sees the same trace ID with the same ratio decides the same way.
func TestRatioSamplerDecidesFromTheTraceID(t *testing.T) {
	low := trace.TraceID{0: 0xab, 15: 0x01}                                         // lower 8 bytes near 0: inside any ratio > 0
	high := trace.TraceID{8: 0xff, 9: 0xff, 10: 0xff, 11: 0xff, 12: 0xff, 15: 0xff} // near the top: outside ratio 0.5
	sampler := sdktrace.TraceIDRatioBased(0.5)
	decide := func(id trace.TraceID) sdktrace.SamplingDecision {
		return sampler.ShouldSample(sdktrace.SamplingParameters{ParentContext: context.Background(), TraceID: id, Name: "x"}).Decision
	}
	assert.Equal(t, sdktrace.RecordAndSample, decide(low))
	assert.Equal(t, sdktrace.Drop, decide(high))
	assert.Equal(t, decide(low), decide(low), "the same ID always gets the same answer")
}

func TestMalformedTraceParentStartsANewTrace(t *testing.T) {
	server := newSide(t, sdktrace.AlwaysSample())
	calculator := otelcalc.NewCalculator(server.tp, propagation.TraceContext{}, server.logger())
	req := handmadeRequest("00-zzzz-not-valid-01", 4, 5)
	var reply calc.Reply
	require.NoError(t, calculator.Add(req, &reply), "a bad header never fails the call")
	assert.Equal(t, 9, reply.Result)
	require.Len(t, server.rec.Ended(), 1)
	assert.False(t, server.rec.Ended()[0].Parent().IsValid())
}
