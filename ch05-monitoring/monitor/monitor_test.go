package monitor_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/rpc-tracing/workbook/ch02-tracing-basics/telemetry"
	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
	"github.com/rpc-tracing/workbook/ch04-jaeger/chain/chaintest"
	"github.com/rpc-tracing/workbook/ch04-jaeger/listen"
	"github.com/rpc-tracing/workbook/ch04-jaeger/otelsetup"
	"github.com/rpc-tracing/workbook/ch04-jaeger/read"
	"github.com/rpc-tracing/workbook/ch04-jaeger/sing"
	"github.com/rpc-tracing/workbook/ch04-jaeger/speak"
	"github.com/rpc-tracing/workbook/ch04-jaeger/write"
	"github.com/rpc-tracing/workbook/ch05-monitoring/metrics"
	"github.com/rpc-tracing/workbook/ch05-monitoring/tracelog"
	"github.com/rpc-tracing/workbook/internal/syncbuf"
)

// monitored is the chain in this test process, its spans in a SpanRecorder and its log lines in
// a buffer. Its metrics are read either through a ManualReader per service (start), which
// collects exactly what Prometheus would scrape when the test wants, or through each service's
// real /metrics handler (startServingMetrics), which shows what Prometheus is actually given.
type monitored struct {
	url      string
	mu       sync.Mutex // guards readers and handlers while the chain starts
	readers  map[string]*sdkmetric.ManualReader
	handlers map[string]http.Handler
	spans    *tracetest.SpanRecorder
	logs     *syncbuf.Buffer
}

// serverSpan is the name of each service's server span: the span that is current while the
// service handles a call, so the one its log lines and its duration exemplars name.
var serverSpan = map[string]string{
	listen.Name: "POST /api/study",
	speak.Name:  "study.v1.SpeakService/Speak",
	read.Name:   "study.v1.ReadService/Read",
	write.Name:  "study.v1.WriteService/Write",
	sing.Name:   "POST /sing",
}

// meterProviderFor makes a service's MeterProvider and keeps, in m, what the test reads it with.
type meterProviderFor func(t *testing.T, m *monitored, service string) *sdkmetric.MeterProvider

// start runs the chain with a ManualReader per service.
func start(t *testing.T) *monitored { return startWith(t, withManualReader) }

// startServingMetrics runs the chain with each service's MeterProvider and /metrics handler
// from metrics.New, as the programs do; only the listener around the handler is left out.
func startServingMetrics(t *testing.T) *monitored { return startWith(t, withMetricsHandler) }

func startWith(t *testing.T, meterProvider meterProviderFor) *monitored {
	t.Helper()
	m := &monitored{
		readers: map[string]*sdkmetric.ManualReader{}, handlers: map[string]http.Handler{},
		spans: tracetest.NewSpanRecorder(), logs: &syncbuf.Buffer{},
	}
	cfg := chain.DefaultConfig()
	cfg.Logger = slog.New(tracelog.New(slog.NewJSONHandler(m.logs, nil)))
	m.url = chaintest.Start(t, cfg, func(service string) otelsetup.Providers {
		mp := meterProvider(t, m, service)
		tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(m.spans))
		t.Cleanup(func() {
			require.NoError(t, mp.Shutdown(context.Background()))
			require.NoError(t, tp.Shutdown(context.Background()))
		})
		return otelsetup.Providers{Tracer: tp, Meter: mp, Propagator: telemetry.Propagator()}
	})
	return m
}

func withManualReader(_ *testing.T, m *monitored, service string) *sdkmetric.MeterProvider {
	reader := sdkmetric.NewManualReader()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.readers[service] = reader
	return sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
}

func withMetricsHandler(t *testing.T, m *monitored, service string) *sdkmetric.MeterProvider {
	mp, handler, err := metrics.New(context.Background(), service)
	require.NoError(t, err)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.handlers[service] = handler
	return mp
}

func (m *monitored) study(t *testing.T, query string) listen.StudyResponse {
	t.Helper()
	body, err := json.Marshal(listen.StudyRequest{Student: "Ada", Text: "Ada reads the notes. Then she writes a program!"})
	require.NoError(t, err)
	resp, err := http.Post(m.url+query, "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var out listen.StudyResponse
	require.NoError(t, json.Unmarshal(data, &out), "%s", data)
	return out
}

// collect returns the service's metrics by name.
func (m *monitored) collect(t *testing.T, service string) map[string]metricdata.Metrics {
	t.Helper()
	var rm metricdata.ResourceMetrics
	require.NoError(t, m.readers[service].Collect(context.Background(), &rm))
	out := map[string]metricdata.Metrics{}
	for _, sm := range rm.ScopeMetrics {
		for _, metric := range sm.Metrics {
			out[metric.Name] = metric
		}
	}
	return out
}

// counts returns a histogram's count per value of the attribute key. A histogram nothing was
// recorded in yet is not collected at all (m is then the zero Metrics) and counts nothing; it
// must not fail the test, since eventually asks again until the server has recorded its call.
func counts(m metricdata.Metrics, key attribute.Key) map[string]uint64 {
	h, _ := m.Data.(metricdata.Histogram[float64])
	out := map[string]uint64{}
	for _, dp := range h.DataPoints {
		v, _ := dp.Attributes.Value(key)
		out[v.String()] += dp.Count
	}
	return out
}

// records decodes the JSON log lines written so far.
func records(t *testing.T, logs *syncbuf.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	dec := json.NewDecoder(strings.NewReader(logs.String()))
	for dec.More() {
		var r map[string]any
		require.NoError(t, dec.Decode(&r))
		out = append(out, r)
	}
	return out
}

// eventually waits until the service's histogram counts by key equal want. A server records a
// call's duration when the call ends, a moment after the client has its answer.
func (m *monitored) eventually(t *testing.T, service, metric string, key attribute.Key, want map[string]uint64) {
	t.Helper()
	var got map[string]uint64
	ok := assert.Eventually(t, func() bool {
		got = counts(m.collect(t, service)[metric], key)
		return reflect.DeepEqual(got, want)
	}, 5*time.Second, time.Millisecond)
	assert.True(t, ok, "%s %s by %s: got %v, want %v", service, metric, key, got, want)
}

// endedSpan waits for the span with these IDs to end and returns it. A server span ends when its
// call does, a moment after the client has its answer, so a test that holds IDs from a response,
// a log line or an exemplar waits here for the span they name.
func (m *monitored) endedSpan(t *testing.T, traceID, spanID string) sdktrace.ReadOnlySpan {
	t.Helper()
	var found sdktrace.ReadOnlySpan
	require.Eventually(t, func() bool {
		for _, s := range m.spans.Ended() {
			if s.SpanContext().TraceID().String() == traceID && s.SpanContext().SpanID().String() == spanID {
				found = s
				return true
			}
		}
		return false
	}, 5*time.Second, time.Millisecond, "a recorded span has trace ID %q and span ID %q", traceID, spanID)
	return found
}
