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

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
	"github.com/rpc-tracing/workbook/ch04-jaeger/listen"
	"github.com/rpc-tracing/workbook/ch04-jaeger/sing"
	"github.com/rpc-tracing/workbook/ch05-monitoring/internal/demo"
	"github.com/rpc-tracing/workbook/ch05-monitoring/internal/load"
	"github.com/rpc-tracing/workbook/ch05-monitoring/internal/promquery"
	"github.com/rpc-tracing/workbook/ch05-monitoring/monitor"
	"github.com/rpc-tracing/workbook/internal/jaegerapi"
	"github.com/rpc-tracing/workbook/internal/stack"
)

// The paths the tests use, from this directory.
const (
	bin          = "../../../bin"
	jaegerConfig = "../../jaeger/config.yaml"
	// prometheusDir holds the Prometheus configuration the reader edits.
	prometheusDir    = "../../prometheus"
	prometheusConfig = prometheusDir + "/prometheus.yml"
)

var (
	prom   = mustProm(promquery.DefaultURL) // until the test's Prometheus starts on a free port
	jaeger = jaegerapi.Client{URL: jaegerapi.DefaultURL}
	// No keep-alive: no idle connection outlives the test for goleak to find.
	client = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	// Where the test's services listen and serve /metrics, and the flags that tell them: free
	// ports that newStack chooses, so a demo may hold the documented ones.
	services     = chain.DefaultAddrs
	metricsAddrs = monitor.MetricsAddrs()
	serviceFlags []string
)

// edgeURL is listen's API.
func edgeURL() string { return "http://" + services.Listen + "/api/study" }

// newStack returns chapter 5's stack with everything on free ports: Jaeger, Prometheus (which
// scrapes the services where they listen) and the services; env is added to the services'.
func newStack(t *testing.T, env ...string) *stack.Stack {
	t.Helper()
	free, err := stack.FreeAddrsFor(chain.Services)
	require.NoError(t, err)
	services = chain.AddrsOf(free)
	metricsAddrs, err = stack.FreeAddrsFor(chain.Services)
	require.NoError(t, err)
	serviceFlags = append(services.Flags(), monitor.Flags(metricsAddrs)...)
	st, err := stack.New(stack.Config{Bin: bin, JaegerConfig: jaegerConfig, WithPrometheus: true, Program: demo.Program,
		FreePorts: true, ScrapeTargets: metricsAddrs, Env: append([]string{"OTEL_BSP_SCHEDULE_DELAY=200"}, env...)})
	require.NoError(t, err, "an end-to-end test fails without its backends")
	return st
}

// startServices starts the five services where newStack said.
func startServices(t *testing.T, st *stack.Stack) {
	t.Helper()
	for _, s := range chain.Services {
		require.NoError(t, st.StartService(context.Background(), s, serviceFlags...))
	}
}

func mustProm(url string) v1.API {
	prom, err := promquery.New(url)
	if err != nil {
		panic(err) // a constant, valid URL: this cannot happen
	}
	return prom
}

func TestMonitoringEndToEnd(t *testing.T) {
	st := startStack(t)
	t.Run("every /metrics passes promtool check metrics", checkMetrics)
	t.Run("Prometheus scrapes every target", targetsUp)
	warmUp(t)
	res := sendLoad(t)
	t.Run("PromQL gives the counts, rate and ratio the load implies", func(t *testing.T) { countsMatch(t, res) })
	t.Run("an exemplar leads to a trace Jaeger has", exemplarToTrace)
	t.Run("spanmetrics counts every request when every trace is sampled", spanMetricsCountEveryRequest)
	t.Run("Jaeger's metrics API answers listen's RED from Prometheus", jaegerMetricsAPI)
	t.Run("a service going down fires ServiceDown and HighErrorRatio", func(t *testing.T) { alertsFire(t, st) })
	t.Run("PromQL gives the request rate a steady load implies", rateMatches)
}

// startStack starts Jaeger, Prometheus and the five services, stopped when the test ends, all on
// free ports (newStack); env is added to the services' environment.
func startStack(t *testing.T, env ...string) *stack.Stack {
	t.Helper()
	st := newStack(t, env...)
	ctx := context.Background()
	require.NoError(t, st.StartJaeger(ctx))
	t.Cleanup(func() { assert.NoError(t, st.Stop()) })
	require.NoError(t, st.StartPrometheus(ctx, prometheusConfig))
	jaeger.URL, prom = st.JaegerAddrs.QueryURL(), mustProm(st.PrometheusURL())
	startServices(t, st)
	return st
}

func checkMetrics(t *testing.T) {
	for _, s := range chain.Services {
		resp, err := client.Get("http://" + metricsAddrs[s] + "/metrics")
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
		up, _, err := promquery.TargetsUp(context.Background(), prom)
		return err == nil && up == len(demo.Jobs)
	}, 30*time.Second, 250*time.Millisecond, "all %d jobs up", len(demo.Jobs))
}

// The load: exactly 180 normal requests, 10 slow in read and 10 failing in write, after a
// warm-up of one normal and one failing request.
const (
	loadRequests   = 200
	loadFailing    = 10
	warmUpRequests = 2
)

// warmUp sends one normal and one failing request and waits until Prometheus has scraped both:
// rate() counts only what a series gained after its first sample, so the series the load adds to
// must exist before it starts for the rates to be what the load implies.
func warmUp(t *testing.T) {
	t.Helper()
	for _, query := range []string{"", "?fail=write"} {
		resp, err := client.Post(edgeURL()+query, "application/json",
			bytes.NewReader([]byte(`{"student":"Ada","text":"Ada warms up."}`)))
		require.NoError(t, err)
		resp.Body.Close()
	}
	eventuallyValue(t, `sum(http_server_request_duration_seconds_count{job="listen"})`, func(v float64) bool { return v == warmUpRequests })
}

// sendLoad sends the load, four at a time.
func sendLoad(t *testing.T) load.Result {
	t.Helper()
	res, err := load.Run(context.Background(), load.Config{
		Target: edgeURL(), Requests: loadRequests, Concurrency: 4,
		Mix: []load.Kind{{Name: "normal", Weight: 18}, {Name: "slow", Query: "?slow=read", Weight: 1}, {Name: "failing", Query: "?fail=write", Weight: 1}},
	})
	require.NoError(t, err)
	require.Equal(t, map[int]int{200: loadRequests - loadFailing, 502: loadFailing}, res.Overall.Statuses)
	return res
}

// scalar runs a query that must give one number, waiting until it equals want (Prometheus needs
// a scrape or two to see the latest counts).
func eventuallyValue(t *testing.T, promql string, ok func(float64) bool) float64 {
	t.Helper()
	var last float64
	require.Eventually(t, func() bool {
		samples, err := promquery.Vector(context.Background(), prom, promql, time.Time{})
		if err != nil || len(samples) != 1 {
			return false
		}
		last = float64(samples[0].Value)
		return ok(last)
	}, 30*time.Second, 250*time.Millisecond, "%s = %v", promql, last)
	return last
}

func countsMatch(t *testing.T, res load.Result) {
	const total, failing = loadRequests + warmUpRequests, loadFailing + 1
	// Counters are exact: every request sent, by the status the edge answered.
	eventuallyValue(t, `sum(http_server_request_duration_seconds_count{job="listen",http_response_status_code="200"})`, func(v float64) bool { return v == total-failing })
	eventuallyValue(t, `sum(http_server_request_duration_seconds_count{job="listen",http_response_status_code="502"})`, func(v float64) bool { return v == failing })
	eventuallyValue(t, `sum(rpc_server_call_duration_seconds_count{job="write",rpc_response_status_code="UNAVAILABLE"})`, func(v float64) bool { return v == failing })
	eventuallyValue(t, `study_words_total{job="read"}`, func(v float64) bool { return v > 0 })
	// The ratio of the counters is exact: 11 in 202.
	eventuallyValue(t, `sum(http_server_request_duration_seconds_count{job="listen",http_response_status_code=~"5.."}) / sum(http_server_request_duration_seconds_count{job="listen"})`,
		func(v float64) bool { return v == float64(failing)/total })

	// The recording rule's error ratio is an estimate over the last minute, which the whole load
	// fits in: about 10 in 200. Both series existed before the load (warmUp) and are scraped at
	// the same moments, so rate()'s extrapolation stretches both alike and the ratio holds.
	require.Less(t, res.Elapsed, 30*time.Second, "the load must fit in the rules' 1m window with time to spare")
	ratio := eventuallyValue(t, `job:error_ratio:rate1m{job="listen"}`, func(v float64) bool { return v > 0 })
	assert.InDelta(t, float64(loadFailing)/loadRequests, ratio, 0.02, "listen's error ratio over the last minute")
}

// rateMatches sends a steady closed-loop load for 10 s and asks Prometheus what listen's request
// rate was over 5 s in the middle of it: the load's own count over its own duration, within a
// tolerance for a closed loop's wobble and rate()'s extrapolation over five scrapes. (A rate over
// a burst shorter than its window, like sendLoad's, is stretched by the extrapolation instead.)
func rateMatches(t *testing.T) {
	start := time.Now()
	res, err := load.Run(context.Background(), load.Config{
		Target: edgeURL(), Duration: 10 * time.Second, Concurrency: 1,
		Mix: []load.Kind{{Name: "normal", Weight: 1}},
	})
	require.NoError(t, err)
	require.Equal(t, res.Overall.Sent, res.Overall.Statuses[200], "every request answered 200")
	want := float64(res.Overall.Sent) / res.Elapsed.Seconds()
	query := `sum(rate(http_server_request_duration_seconds_count{job="listen"}[5s]))`
	mid := start.Add(res.Elapsed * 3 / 4) // the window [¼+, ¾] of the run: warm, and whole
	eventuallyValue(t, `sum(http_server_request_duration_seconds_count{job="listen"})`, func(float64) bool { return time.Since(start) > res.Elapsed+2*time.Second })
	samples, err := promquery.Vector(context.Background(), prom, query, mid)
	require.NoError(t, err)
	require.Len(t, samples, 1)
	got := float64(samples[0].Value)
	t.Logf("load: %d requests in %s, %.0f req/s; PromQL at %s: %.0f req/s", res.Overall.Sent, res.Elapsed.Round(time.Millisecond), want, mid.Sub(start).Round(time.Millisecond), got)
	assert.InDelta(t, want, got, 0.25*want, "%s in the middle of the load", query)
}

func exemplarToTrace(t *testing.T) {
	// An exemplar of a 200 answer: its trace is whole at nine spans, where a failing one may
	// have five to seven.
	var ex []v1.ExemplarQueryResult
	require.Eventually(t, func() bool {
		var err error
		ex, err = prom.QueryExemplars(context.Background(), `http_server_request_duration_seconds_bucket{job="listen",http_response_status_code="200"}`, time.Now().Add(-10*time.Minute), time.Now())
		return err == nil && len(ex) > 0 && len(ex[0].Exemplars) > 0
	}, 30*time.Second, 250*time.Millisecond, "Prometheus stored exemplars")
	first := ex[0].Exemplars[0]
	id := string(first.Labels["trace_id"])
	require.Len(t, id, 32, "%v", first.Labels)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	spans, err := jaeger.WaitForTrace(ctx, id, func(s []jaegerapi.Span) bool { return len(s) >= 9 })
	require.NoError(t, err, fmt.Sprintf("trace %s of the exemplar", id))
	assert.Len(t, spans, 9, "the exemplar's trace, whole")
	for _, s := range spans {
		assert.Equal(t, id, s.TraceID)
	}
	assert.Contains(t, servicesOf(spans), listen.Name, "the exemplar came from listen's histogram, so its trace has listen's spans")
}

// alertsFire stops sing: write can no longer reach it, so every request fails at the edge.
// Within the rules' windows and `for:` durations (15 s for ServiceDown, 30 s for
// HighErrorRatio), both alerts must fire, with the labels that name the culprit and the victim.
func alertsFire(t *testing.T, st *stack.Stack) {
	require.NoError(t, st.Services[sing.Name].Stop(10*time.Second))
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { // keep traffic coming: an error ratio needs requests
		defer close(done)
		for {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
				if resp, err := client.Post(edgeURL(), "application/json",
					bytes.NewReader([]byte(`{"student":"Ada","text":"Ada waits."}`))); err == nil {
					resp.Body.Close()
				}
			}
		}
	}()
	defer func() { close(stop); <-done }()

	want := map[string]string{"ServiceDown": sing.Name, "HighErrorRatio": listen.Name}
	var firing []v1.Alert
	ok := assert.Eventually(t, func() bool {
		res, err := prom.Alerts(context.Background())
		if err != nil {
			return false
		}
		firing = res.Alerts
		found := 0
		for _, a := range firing {
			if job, ok := want[string(a.Labels["alertname"])]; ok && a.State == v1.AlertStateFiring && string(a.Labels["job"]) == job {
				found++
			}
		}
		return found == len(want)
	}, 2*time.Minute, time.Second, "ServiceDown{job=sing} and HighErrorRatio{job=listen} firing")
	if !ok {
		t.Logf("alerts: %+v", firing)
	}
	// Bring sing back for what comes next.
	require.NoError(t, st.StartService(context.Background(), sing.Name, serviceFlags...))
}

func servicesOf(spans []jaegerapi.Span) []string {
	var out []string
	for _, s := range spans {
		out = append(out, s.Service)
	}
	return out
}
