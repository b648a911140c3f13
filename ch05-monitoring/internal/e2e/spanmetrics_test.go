//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch05-monitoring/internal/load"
	"github.com/rpc-tracing/workbook/ch05-monitoring/internal/promquery"
)

// The RED of one service's server spans, as Jaeger's spanmetrics connector exports it, and the
// same requests as the services' own instrumentation counts them (otelhttp at listen, otelgrpc
// at read).
const (
	spanCalls   = `sum(traces_span_metrics_calls_total{service_name=%q,span_kind="SPAN_KIND_SERVER"})`
	listenCalls = `sum(http_server_request_duration_seconds_count{job="listen"})`
	readCalls   = `sum(rpc_server_call_duration_seconds_count{job="read"})`
)

// spanMetricsCountEveryRequest checks, with every trace sampled (the chapter's default), that the
// spanmetrics connector has counted each of the requests listen answered, as many as otelhttp
// did.
func spanMetricsCountEveryRequest(t *testing.T) {
	want := eventuallyValue(t, listenCalls, func(v float64) bool { return v > 0 })
	eventuallyValue(t, fmt.Sprintf(spanCalls, "listen"), func(v float64) bool { return v == want })
	errs := eventuallyValue(t, `sum(traces_span_metrics_calls_total{service_name="listen",span_kind="SPAN_KIND_SERVER",status_code="STATUS_CODE_ERROR"})`, func(v float64) bool { return v > 0 })
	failed := eventuallyValue(t, `sum(http_server_request_duration_seconds_count{job="listen",http_response_status_code=~"5.."})`, func(v float64) bool { return v > 0 })
	assert.Equal(t, failed, errs, "listen's error spans and its 5xx answers")
}

// jaegerMetricsAPI checks that Jaeger's query service answers listen's RED from Prometheus, as
// the Monitor tab asks for it: request rate, error rate and p95 latency, each a series of points
// with plausible values.
func jaegerMetricsAPI(t *testing.T) {
	tests := []struct {
		path string
		ok   func(float64) bool
	}{
		{"calls", func(v float64) bool { return v > 0 }},                   // req/s
		{"errors", func(v float64) bool { return v > 0 && v < 1 }},         // a fraction: some, not all, fail
		{"latencies", func(v float64) bool { return v > 0.1 && v < 2000 }}, // ms: the slow ones take ~500
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			var last []float64
			require.Eventually(t, func() bool {
				var err error
				last, err = jaegerMetric(tt.path, "listen")
				return err == nil && len(last) > 0 && tt.ok(last[len(last)-1])
			}, 30*time.Second, 500*time.Millisecond, "/api/metrics/%s?service=listen: last points %v", tt.path, last)
			t.Logf("/api/metrics/%s?service=listen: %d points, the last %.4g", tt.path, len(last), last[len(last)-1])
		})
	}
}

// jaegerMetric asks Jaeger's metrics API for one of listen's RED series over the last 5
// minutes, a point a second, as the Monitor tab does (rates over 1 minute here, where the tab
// uses 10), and returns the points' values that are numbers.
func jaegerMetric(kind, service string) ([]float64, error) {
	q := url.Values{"service": {service}, "spanKind": {"server"}, "endTs": {strconv.FormatInt(time.Now().UnixMilli(), 10)},
		"lookback": {"300000"}, "step": {"1000"}, "ratePer": {"60000"}}
	if kind == "latencies" {
		q.Set("quantile", "0.95")
	}
	resp, err := client.Get(jaeger.URL + "/api/metrics/" + kind + "?" + q.Encode())
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("/api/metrics/%s: %s", kind, resp.Status)
	}
	var family struct {
		Metrics []struct {
			Labels       []struct{ Name, Value string }
			MetricPoints []struct {
				GaugeValue struct{ DoubleValue any }
			}
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&family); err != nil {
		return nil, err
	}
	var values []float64
	for _, m := range family.Metrics {
		for _, p := range m.MetricPoints {
			// protojson writes NaN (a rate with no calls yet) as the string "NaN".
			if v, ok := p.GaugeValue.DoubleValue.(float64); ok && !math.IsNaN(v) {
				values = append(values, v)
			}
		}
	}
	return values, nil
}

// The sampling ratio of TestSpanMetricsUnderHeadSampling, and its load.
const (
	sampledRatio    = 0.25
	sampledRequests = 800
)

// TestSpanMetricsUnderHeadSampling runs the chain with a parent-based ratio sampler keeping one
// trace in four, decided at listen. otelhttp and otelgrpc still count every request; the
// spanmetrics connector counts the spans of the sampled ones only. Over the same load, its count
// of listen's (and read's) server calls is the sampling ratio of theirs, within a binomial
// tolerance (five standard deviations of 800 coin flips).
func TestSpanMetricsUnderHeadSampling(t *testing.T) {
	startStack(t, "OTEL_TRACES_SAMPLER=parentbased_traceidratio",
		"OTEL_TRACES_SAMPLER_ARG="+strconv.FormatFloat(sampledRatio, 'f', -1, 64))
	ctx := context.Background()
	targetsUp(t)

	// Until one request is sampled, spanmetrics has no series to count from.
	require.Eventually(t, func() bool {
		resp, err := client.Post(edgeURL(), "application/json",
			bytes.NewReader([]byte(`{"student":"Ada","text":"Ada warms up."}`)))
		if err == nil {
			resp.Body.Close()
		}
		samples, err := promquery.Vector(ctx, prom, fmt.Sprintf(spanCalls, "read"), time.Time{})
		return err == nil && len(samples) == 1
	}, 30*time.Second, 500*time.Millisecond, "a sampled request counted by spanmetrics")
	before := settled(t)

	start := time.Now()
	res, err := load.Run(ctx, load.Config{Target: edgeURL(),
		Requests: sampledRequests, Concurrency: 4, Mix: []load.Kind{{Name: "normal", Weight: 1}}})
	require.NoError(t, err)
	require.Equal(t, sampledRequests, res.Overall.Statuses[200])
	t.Logf("load: %d requests in %s", sampledRequests, res.Elapsed.Round(time.Millisecond))
	after := settled(t)

	for _, c := range []struct{ service, metrics string }{{"listen", listenCalls}, {"read", readCalls}} {
		all := after[c.metrics] - before[c.metrics]
		spans := after[fmt.Sprintf(spanCalls, c.service)] - before[fmt.Sprintf(spanCalls, c.service)]
		require.Equal(t, float64(sampledRequests), all, "%s's own metrics count every request", c.service)
		tolerance := 5 * math.Sqrt(sampledRatio*(1-sampledRatio)/sampledRequests)
		t.Logf("%s: %v requests counted by its metrics, %v by spanmetrics: %.3f (sampling ratio %v)", c.service, all, spans, spans/all, sampledRatio)
		assert.InDelta(t, sampledRatio, spans/all, tolerance, "spanmetrics' share of %s's calls", c.service)
	}
	// The same as rates, as a dashboard shows them: the last minute, which holds the whole load.
	require.Less(t, time.Since(start), 50*time.Second, "the load must fit in the 1m window")
	for _, q := range []string{
		`sum(rate(http_server_request_duration_seconds_count{job="listen"}[1m]))`,
		`sum(rate(traces_span_metrics_calls_total{service_name="listen",span_kind="SPAN_KIND_SERVER"}[1m]))`,
		`sum(rate(rpc_server_call_duration_seconds_count{job="read"}[1m]))`,
		`sum(rate(traces_span_metrics_calls_total{service_name="read",span_kind="SPAN_KIND_SERVER"}[1m]))`,
	} {
		samples, err := promquery.Vector(ctx, prom, q, time.Time{})
		require.NoError(t, err)
		require.Len(t, samples, 1)
		t.Logf("%s = %.2f/s", q, float64(samples[0].Value))
	}
}

// settled waits until Prometheus's counts of listen's and read's calls, from their metrics and
// from spanmetrics, stop moving (the spans of the last requests pass the services' batch delay,
// the connector's flush and a scrape), and returns them by query.
func settled(t *testing.T) map[string]float64 {
	t.Helper()
	queries := []string{listenCalls, readCalls, fmt.Sprintf(spanCalls, "listen"), fmt.Sprintf(spanCalls, "read")}
	var last, now map[string]float64
	require.Eventually(t, func() bool {
		last, now = now, map[string]float64{}
		for _, q := range queries {
			samples, err := promquery.Vector(context.Background(), prom, q, time.Time{})
			if err != nil || len(samples) != 1 {
				return false
			}
			now[q] = float64(samples[0].Value)
		}
		return fmt.Sprint(last) == fmt.Sprint(now)
	}, time.Minute, 3*time.Second, "the counts settle")
	return now
}
