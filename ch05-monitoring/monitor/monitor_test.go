package monitor_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"reflect"
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
	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/ch02-tracing-basics/telemetry"
	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
	"github.com/rpc-tracing/workbook/ch04-jaeger/chain/chaintest"
	"github.com/rpc-tracing/workbook/ch05-monitoring/tracelog"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// monitored is the chain in this test process with a ManualReader per service: the test collects
// exactly what Prometheus would scrape, when it wants.
type monitored struct {
	url     string
	readers map[string]*sdkmetric.ManualReader
	spans   *tracetest.SpanRecorder
	logs    *syncBuffer
}

func start(t *testing.T) *monitored {
	t.Helper()
	m := &monitored{readers: map[string]*sdkmetric.ManualReader{}, spans: tracetest.NewSpanRecorder(), logs: &syncBuffer{}}
	cfg := chain.DefaultConfig()
	cfg.Logger = slog.New(tracelog.New(slog.NewJSONHandler(m.logs, nil)))
	var mu sync.Mutex
	m.url = chaintest.Start(t, cfg, func(service string) chain.Tracing {
		reader := sdkmetric.NewManualReader()
		mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
		tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(m.spans))
		t.Cleanup(func() {
			require.NoError(t, mp.Shutdown(context.Background()))
			require.NoError(t, tp.Shutdown(context.Background()))
		})
		mu.Lock()
		m.readers[service] = reader
		mu.Unlock()
		return chain.Tracing{Provider: tp, Meters: mp, Propagators: telemetry.Propagator()}
	})
	return m
}

func (m *monitored) study(t *testing.T, query string) chain.StudyResponse {
	t.Helper()
	body, err := json.Marshal(chain.StudyRequest{Student: "Ada", Text: "Ada reads the notes. Then she writes a program!"})
	require.NoError(t, err)
	resp, err := http.Post(m.url+query, "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var out chain.StudyResponse
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

// counts returns a histogram's count per value of the attribute key.
func counts(t *testing.T, m metricdata.Metrics, key attribute.Key) map[string]uint64 {
	t.Helper()
	h, ok := m.Data.(metricdata.Histogram[float64])
	require.True(t, ok, "%s is a float64 histogram", m.Name)
	out := map[string]uint64{}
	for _, dp := range h.DataPoints {
		v, _ := dp.Attributes.Value(key)
		out[v.String()] += dp.Count
	}
	return out
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) records(t *testing.T) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	dec := json.NewDecoder(bytes.NewReader(b.buf.Bytes()))
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
		got = counts(t, m.collect(t, service)[metric], key)
		return reflect.DeepEqual(got, want)
	}, 5*time.Second, time.Millisecond)
	assert.True(t, ok, "%s %s by %s: got %v, want %v", service, metric, key, got, want)
}
