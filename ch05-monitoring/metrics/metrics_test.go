package metrics_test

import (
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/rpc-tracing/workbook/ch05-monitoring/metrics"
)

// scrapeText GETs the handler's output, asking for OpenMetrics (as Prometheus with exemplar storage
// does) or for the classic text format.
func scrapeText(t *testing.T, h http.Handler, openMetrics bool) string {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	if openMetrics {
		req.Header.Set("Accept", "application/openmetrics-text; version=1.0.0")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	require.Equal(t, http.StatusOK, rec.Code)
	return rec.Body.String()
}

func TestMetricsAreExposedWithPrometheusNamesBucketsAndExemplars(t *testing.T) {
	mp, handler, err := metrics.New(context.Background(), "read")
	require.NoError(t, err)
	defer func() { require.NoError(t, mp.Shutdown(context.Background())) }()
	tp := sdktrace.NewTracerProvider()
	defer func() { require.NoError(t, tp.Shutdown(context.Background())) }()

	hist, err := mp.Meter("test").Float64Histogram("rpc.server.call.duration", metric.WithUnit("s"))
	require.NoError(t, err)
	ctx, span := tp.Tracer("test").Start(context.Background(), "call")
	hist.Record(ctx, 0.003) // in a sampled span: it becomes the bucket's exemplar
	span.End()

	// The classic text format parses with Prometheus's own parser.
	parser := expfmt.NewTextParser(model.LegacyValidation)
	families, err := parser.TextToMetricFamilies(strings.NewReader(scrapeText(t, handler, false)))
	require.NoError(t, err)
	require.Contains(t, families, "rpc_server_call_duration_seconds", "OTel name, Prometheus conventions")
	require.Contains(t, families, "go_goroutines", "runtime metrics alongside")
	require.Contains(t, families, "process_cpu_seconds_total")
	var bounds []float64
	for _, b := range families["rpc_server_call_duration_seconds"].GetMetric()[0].GetHistogram().GetBucket() {
		bounds = append(bounds, b.GetUpperBound())
	}
	assert.Equal(t, append(metrics.DurationBuckets, math.Inf(1)), bounds, "our bounds, then +Inf")
	info := families["target_info"].GetMetric()[0].GetLabel()
	assert.Contains(t, labelValues(info), "read", "target_info names the service")

	// OpenMetrics carries the exemplar: the trace ID of the request in the 0.005 bucket.
	om := scrapeText(t, handler, true)
	ex := regexp.MustCompile(`rpc_server_call_duration_seconds_bucket\{.*le="0.005"\} 1 # \{.*trace_id="([0-9a-f]{32})".*\} 0.003`)
	m := ex.FindStringSubmatch(om)
	require.NotNil(t, m, "an exemplar on the 0.005 bucket:\n%s", om)
	assert.Equal(t, span.SpanContext().TraceID().String(), m[1])
	assert.True(t, model.LabelValue(m[1]).IsValid())
}

func labelValues(pairs []*dto.LabelPair) []string {
	var out []string
	for _, p := range pairs {
		out = append(out, p.GetValue())
	}
	return out
}
