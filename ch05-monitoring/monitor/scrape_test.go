package monitor_test

import (
	"math"
	"testing"
	"time"

	"github.com/rpc-tracing/workbook/ch05-monitoring/internal/scrape"

	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
	"github.com/rpc-tracing/workbook/ch04-jaeger/listen"
	"github.com/rpc-tracing/workbook/ch04-jaeger/read"
	"github.com/rpc-tracing/workbook/ch04-jaeger/sing"
	"github.com/rpc-tracing/workbook/ch04-jaeger/speak"
	"github.com/rpc-tracing/workbook/ch04-jaeger/write"
)

// serverDuration is the Prometheus name of each service's server duration histogram: otelhttp's
// http.server.request.duration at the HTTP services, otelgrpc's rpc.server.call.duration at the
// gRPC ones.
var serverDuration = map[string]string{
	listen.Name: "http_server_request_duration_seconds",
	speak.Name:  "rpc_server_call_duration_seconds",
	read.Name:   "rpc_server_call_duration_seconds",
	write.Name:  "rpc_server_call_duration_seconds",
	sing.Name:   "http_server_request_duration_seconds",
}

// TestScrapedExemplarsAreTheServerSpansOfRequests sends requests through the chain, scrapes every
// service's real /metrics handler, and decodes the answer with Prometheus's own decoder. It asks
// for the protobuf exposition format, which Prometheus also scrapes and which carries exemplars
// as structured fields, so no regular expression stands between the output and the check. Each
// exemplar on a server duration bucket must name, by valid trace and span IDs, the server span
// of one of the requests sent, and its value must lie in its bucket.
func TestScrapedExemplarsAreTheServerSpansOfRequests(t *testing.T) {
	m := startServingMetrics(t)
	sent := map[string]bool{}
	const requests = 3
	for range requests {
		sent[m.study(t, "").TraceID] = true
	}
	for _, service := range chain.Services {
		histogram := m.scrapedHistogram(t, service, requests)
		exemplars := 0
		lower := math.Inf(-1)
		for _, b := range histogram.GetBucket() {
			if ex := b.GetExemplar(); ex != nil {
				exemplars++
				assert.Greater(t, ex.GetValue(), lower, "%s: the exemplar lies in its bucket", service)
				assert.LessOrEqual(t, ex.GetValue(), b.GetUpperBound(), "%s: the exemplar lies in its bucket", service)
				traceID, spanID := exemplarIDs(t, ex)
				assert.True(t, sent[traceID], "%s: exemplar trace %s is one of the requests sent", service, traceID)
				span := m.endedSpan(t, traceID, spanID)
				assert.Equal(t, serverSpan[service], span.Name(), "%s: the exemplar is the service's server span", service)
			}
			lower = b.GetUpperBound()
		}
		assert.Positive(t, exemplars, "%s's %s has exemplars", service, serverDuration[service])
	}
}

// scrapedHistogram scrapes the service until its server duration histogram has counted the
// requests (a server records a call's duration a moment after the client has its answer) and
// returns it. Every request took the same path, so it is the histogram's only series.
func (m *monitored) scrapedHistogram(t *testing.T, service string, requests uint64) *dto.Histogram {
	t.Helper()
	name := serverDuration[service]
	var series []*dto.Metric
	require.Eventually(t, func() bool {
		series = scrape.ByName(scrape.Protobuf(t, m.handlers[service]))[name].GetMetric()
		return len(series) == 1 && series[0].GetHistogram().GetSampleCount() == requests
	}, 5*time.Second, 10*time.Millisecond, "%s's %s counts %d requests in one series", service, name, requests)
	return series[0].GetHistogram()
}

// exemplarIDs returns an exemplar's trace_id and span_id labels, after checking that each is a
// valid ID: lowercase hex of the right length, not all zeros.
func exemplarIDs(t *testing.T, ex *dto.Exemplar) (traceID, spanID string) {
	t.Helper()
	labels := map[string]string{}
	for _, l := range ex.GetLabel() {
		labels[l.GetName()] = l.GetValue()
	}
	tid, err := trace.TraceIDFromHex(labels["trace_id"])
	require.NoError(t, err, "exemplar labels %v have a valid trace_id", labels)
	sid, err := trace.SpanIDFromHex(labels["span_id"])
	require.NoError(t, err, "exemplar labels %v have a valid span_id", labels)
	return tid.String(), sid.String()
}
