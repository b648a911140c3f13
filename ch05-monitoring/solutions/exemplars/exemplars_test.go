package exemplars_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/ch05-monitoring/metrics"
	"github.com/rpc-tracing/workbook/ch05-monitoring/solutions/exemplars"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// requests are three calls, each with a duration in a bucket of its own so that each bucket's
// exemplar can only be that call's: one in a sampled trace, one in a trace the sampler dropped,
// one with no trace at all.
type requests struct {
	sampled, unsampled trace.SpanContext
}

// record measures the three calls on the chapter's own pipeline (metrics.New) and scrapes it as
// Prometheus does, in OpenMetrics.
func record(t *testing.T) (requests, []exemplars.Exemplar) {
	t.Helper()
	mp, handler, err := metrics.New(context.Background(), "read")
	require.NoError(t, err)
	defer func() { require.NoError(t, mp.Shutdown(context.Background())) }()
	hist, err := mp.Meter("test").Float64Histogram("rpc.server.call.duration", metric.WithUnit("s"))
	require.NoError(t, err)

	keep := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.AlwaysSample()))
	drop := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.NeverSample()))
	defer func() { require.NoError(t, keep.Shutdown(context.Background())) }()
	defer func() { require.NoError(t, drop.Shutdown(context.Background())) }()

	var r requests
	for _, c := range []struct {
		tp    trace.TracerProvider
		into  *trace.SpanContext
		value float64
	}{
		{keep, &r.sampled, 0.002},  // bucket le=0.0025
		{drop, &r.unsampled, 0.02}, // bucket le=0.025
		{nil, nil, 0.2},            // bucket le=0.25
	} {
		ctx := context.Background()
		if c.tp != nil {
			var span trace.Span
			ctx, span = c.tp.Tracer("test").Start(ctx, "call")
			*c.into = span.SpanContext()
			defer span.End()
		}
		hist.Record(ctx, c.value)
	}

	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.Header.Set("Accept", "application/openmetrics-text; version=1.0.0")
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, req)
	require.Equal(t, http.StatusOK, rec.Code)
	ex, err := exemplars.Parse(rec.Body.String())
	require.NoError(t, err)
	return r, ex
}

// bucket returns the le label of an exemplar's bucket series.
func bucket(e exemplars.Exemplar) string {
	_, le, _ := strings.Cut(e.Series, `le="`)
	return strings.TrimSuffix(le, `"}`)
}

// TestOnlySampledRequestsBecomeExemplars: with the default filter, of the three calls only the
// one in a sampled trace leaves an exemplar, and its trace_id is that trace's.
func TestOnlySampledRequestsBecomeExemplars(t *testing.T) {
	r, ex := record(t)
	require.True(t, r.sampled.IsSampled())
	require.True(t, r.unsampled.IsValid(), "an unsampled span still has IDs: they propagate")
	require.False(t, r.unsampled.IsSampled())

	require.Len(t, ex, 1, "%v", ex)
	assert.Equal(t, "0.0025", bucket(ex[0]))
	assert.Equal(t, r.sampled.TraceID().String(), ex[0].Labels["trace_id"])
	assert.Equal(t, r.sampled.SpanID().String(), ex[0].Labels["span_id"])
	assert.Equal(t, 0.002, ex[0].Value)
}

// TestAlwaysOnFilterMakesExemplarsThatLeadNowhere: OTEL_METRICS_EXEMPLAR_FILTER=always_on offers
// every measurement. The unsampled call's trace ID becomes an exemplar, though no span of that
// trace was ever exported; the call with no trace becomes an exemplar whose trace_id is empty.
func TestAlwaysOnFilterMakesExemplarsThatLeadNowhere(t *testing.T) {
	t.Setenv("OTEL_METRICS_EXEMPLAR_FILTER", "always_on")
	r, ex := record(t)

	byBucket := map[string]map[string]string{}
	for _, e := range ex {
		byBucket[bucket(e)] = e.Labels
	}
	assert.Equal(t, map[string]map[string]string{
		"0.0025": {"trace_id": r.sampled.TraceID().String(), "span_id": r.sampled.SpanID().String()},
		"0.025":  {"trace_id": r.unsampled.TraceID().String(), "span_id": r.unsampled.SpanID().String()},
		"0.25":   {"trace_id": "", "span_id": ""},
	}, byBucket)
}

// TestParse reads the lines the chapter's /metrics writes, and skips the ones without exemplars.
func TestParse(t *testing.T) {
	got, err := exemplars.Parse(`# TYPE study_words counter
study_words_total 36.0 # {trace_id="c6d47e1565008e6edc82c0fbcce27d46",span_id="7e95d3f8f7198bde"} 9.0 1.7956437583149335e+09
rpc_server_call_duration_seconds_bucket{rpc_method="study.v1.ReadService/Read",le="0.001"} 0
rpc_server_call_duration_seconds_bucket{rpc_method="study.v1.ReadService/Read",le="0.0025"} 1 # {span_id="7b728906ba77af07",trace_id="93a0f42defd5240832b4bfe68b3ffa22"} 0.001133834 1.7956437583154984e+09
# EOF
`)
	require.NoError(t, err)
	assert.Equal(t, []exemplars.Exemplar{
		{Series: "study_words_total", Value: 9,
			Labels: map[string]string{"trace_id": "c6d47e1565008e6edc82c0fbcce27d46", "span_id": "7e95d3f8f7198bde"}},
		{Series: `rpc_server_call_duration_seconds_bucket{rpc_method="study.v1.ReadService/Read",le="0.0025"}`, Value: 0.001133834,
			Labels: map[string]string{"trace_id": "93a0f42defd5240832b4bfe68b3ffa22", "span_id": "7b728906ba77af07"}},
	}, got)

	_, err = exemplars.Parse(`x_total 1 # {trace_id="a"} NaNx 1`)
	assert.ErrorContains(t, err, `value "NaNx"`)
}
