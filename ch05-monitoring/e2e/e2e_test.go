//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
	"github.com/rpc-tracing/workbook/ch04-jaeger/jaegerapi"
	"github.com/rpc-tracing/workbook/ch05-monitoring/demo"
	"github.com/rpc-tracing/workbook/ch05-monitoring/load"
	"github.com/rpc-tracing/workbook/ch05-monitoring/monitor"
	"github.com/rpc-tracing/workbook/ch05-monitoring/promapi"
	"github.com/rpc-tracing/workbook/internal/stack"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const bin = "../../bin"

var (
	prom   = promapi.Client{URL: promapi.DefaultURL}
	jaeger = jaegerapi.Client{URL: jaegerapi.DefaultURL}
	// No keep-alive: no idle connection outlives the test for goleak to find.
	client = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
)

func TestMonitoringEndToEnd(t *testing.T) {
	st, err := stack.New(stack.Config{Bin: bin, JaegerConfig: "../../ch04-jaeger/jaeger/config.yaml", WithPrometheus: true,
		Env: []string{"OTEL_BSP_SCHEDULE_DELAY=200"}}, chain.Services, demo.ServicePrefix)
	require.NoError(t, err, "an end-to-end test fails without its backends")
	ctx := context.Background()
	require.NoError(t, st.StartJaeger(ctx))
	t.Cleanup(func() { assert.NoError(t, st.Stop()) })
	require.NoError(t, st.StartPrometheus(ctx, "../prometheus/prometheus.yml"))
	for _, s := range chain.Services {
		require.NoError(t, st.StartService(ctx, s, demo.ServicePrefix))
	}

	t.Run("every /metrics passes promtool check metrics", checkMetrics)
	t.Run("Prometheus scrapes every target", targetsUp)
	res := sendLoad(t)
	t.Run("PromQL gives the counts and ratio the load implies", func(t *testing.T) { countsMatch(t, res) })
	t.Run("an exemplar leads to a trace Jaeger has", exemplarToTrace)
}

func checkMetrics(t *testing.T) {
	for _, s := range chain.Services {
		resp, err := client.Get("http://" + monitor.DefaultMetricsAddrs[s] + "/metrics")
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		cmd := exec.Command(bin+"/promtool", "check", "metrics")
		cmd.Stdin = bytes.NewReader(body)
		out, err := cmd.CombinedOutput()
		assert.NoError(t, err, "%s's metrics:\n%s", s, out)
	}
}

func targetsUp(t *testing.T) {
	require.Eventually(t, func() bool {
		up, err := prom.Query(context.Background(), "up == 1")
		return err == nil && len(up) == len(demo.Jobs)
	}, 30*time.Second, 250*time.Millisecond, "all %d jobs up", len(demo.Jobs))
}

// sendLoad sends 200 requests: exactly 180 normal, 10 slow in read, 10 failing in write.
func sendLoad(t *testing.T) load.Result {
	t.Helper()
	res, err := load.Run(context.Background(), load.Config{
		Target: "http://" + chain.DefaultAddrs.Listen + "/api/study", Requests: 200, Concurrency: 4,
		Mix: []load.Kind{{Name: "normal", Weight: 18}, {Name: "slow", Query: "?slow=read", Weight: 1}, {Name: "failing", Query: "?fail=write", Weight: 1}},
	})
	require.NoError(t, err)
	require.Equal(t, map[int]int{200: 190, 502: 10}, res.Overall.Statuses)
	return res
}

// scalar runs a query that must give one number, waiting until it equals want (Prometheus needs
// a scrape or two to see the latest counts).
func eventuallyValue(t *testing.T, promql string, ok func(float64) bool) float64 {
	t.Helper()
	var last float64
	require.Eventually(t, func() bool {
		samples, err := prom.Query(context.Background(), promql)
		if err != nil || len(samples) != 1 {
			return false
		}
		last = samples[0].Value
		return ok(last)
	}, 30*time.Second, 250*time.Millisecond, "%s = %v", promql, last)
	return last
}

func countsMatch(t *testing.T, _ load.Result) {
	// Counters are exact: every request the load sent, by the status the edge answered.
	eventuallyValue(t, `sum(http_server_request_duration_seconds_count{job="listen",http_response_status_code="200"})`, func(v float64) bool { return v == 190 })
	eventuallyValue(t, `sum(http_server_request_duration_seconds_count{job="listen",http_response_status_code="502"})`, func(v float64) bool { return v == 10 })
	eventuallyValue(t, `sum(rpc_server_call_duration_seconds_count{job="write",rpc_response_status_code="UNAVAILABLE"})`, func(v float64) bool { return v == 10 })
	eventuallyValue(t, `study_words_total{job="read"}`, func(v float64) bool { return v > 0 })
	// The ratio of the counters is exact: 10 in 200.
	eventuallyValue(t, `sum(http_server_request_duration_seconds_count{job="listen",http_response_status_code=~"5.."}) / sum(http_server_request_duration_seconds_count{job="listen"})`,
		func(v float64) bool { return v == 0.05 })
	// The recording rule's rate is an estimate: rate() cannot count the requests made before
	// Prometheus first scraped the 502 series, which appears in the middle of the load.
	ratio := eventuallyValue(t, `job:error_ratio:rate1m{job="listen"}`, func(v float64) bool { return v > 0 })
	assert.LessOrEqual(t, ratio, 0.1, "listen's error ratio, estimated")
}

func exemplarToTrace(t *testing.T) {
	var ex []promapi.Exemplar
	require.Eventually(t, func() bool {
		var err error
		ex, err = prom.Exemplars(context.Background(), `http_server_request_duration_seconds_bucket{job="listen"}`, time.Now().Add(-10*time.Minute), time.Now())
		return err == nil && len(ex) > 0
	}, 30*time.Second, 250*time.Millisecond, "Prometheus stored exemplars")
	id := ex[0].Labels["trace_id"]
	require.Len(t, id, 32, "%v", ex[0].Labels)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	spans, err := jaeger.WaitForTrace(ctx, id, func(s []jaegerapi.Span) bool { return len(s) >= 6 }) // a failing request may have no read server span
	require.NoError(t, err, fmt.Sprintf("trace %s of the exemplar", id))
	assert.Equal(t, id, spans[0].TraceID)
}
