//go:build e2e

package e2e

import (
	"context"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/internal/jaegerapi"
	"github.com/rpc-tracing/workbook/internal/stack"
)

// outageBound is far below what exporting on the request path would cost (the OTLP exporter's
// timeout is 10 s) and far above a request's normal few milliseconds, so the check neither
// flakes on a busy machine nor misses the failure it is for.
const outageBound = time.Second

// outageTraffic is how long requests keep coming with Jaeger down: longer than the batch
// processor's 5 s delay, so every service tries, and fails, to export while they arrive.
const outageTraffic = 7 * time.Second

var (
	exportFailing   = regexp.MustCompile(`span export failing`)
	exportRecovered = regexp.MustCompile(`span export recovered`)
)

// outage kills Jaeger, checks requests still succeed as fast as before while every service's
// exports fail, and that each service says so once; then restarts Jaeger and checks new traces
// arrive again and each service says it recovered.
func outage(t *testing.T, st *stack.Stack) {
	var before []time.Duration
	for range 10 {
		_, d := study(t, "", "")
		before = append(before, d)
	}
	st.KillJaeger()
	killed := time.Now()
	// Paced traffic, four requests a second: not a wait for a condition, so a ticker.
	var during []time.Duration
	pace := time.NewTicker(250 * time.Millisecond)
	defer pace.Stop()
	for end := time.Now().Add(outageTraffic); time.Now().Before(end); <-pace.C {
		_, d := study(t, "", "")
		assert.Less(t, d, outageBound, "a request waited on the missing Jaeger")
		during = append(during, d)
	}
	t.Logf("median latency with Jaeger up: %s, down: %s (%d requests)", median(before), median(during), len(during))
	// Unchanged, with room for a shared machine's noise: exporting on the request path would
	// cost a connection attempt and its retries per request, not a few milliseconds.
	assert.LessOrEqual(t, median(during), 2*median(before)+25*time.Millisecond, "requests slowed down while Jaeger was down")
	eachServiceLogs(t, st, exportFailing, "its exports failing")
	t.Logf("every service reported the outage %s after Jaeger went down", time.Since(killed).Round(time.Second))

	require.NoError(t, st.StartJaeger(context.Background()))
	restarted := time.Now()
	// The exporters reconnect with gRPC's backoff: give them time, then a new trace must arrive.
	var (
		last    []jaegerapi.Span
		lastErr error
	)
	if !assert.Eventually(t, func() bool {
		id, _, err := trySend("", "")
		if err != nil {
			lastErr = err
			return false
		}
		// Each service exports every 5 s, so a trace is whole only once all five have: give it
		// three periods.
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		last, lastErr = jaeger.WaitForTrace(ctx, id, func(s []jaegerapi.Span) bool { return len(s) >= 9 })
		return lastErr == nil && len(last) == 9
	}, 2*time.Minute, time.Second, "no whole trace reached the restarted Jaeger") {
		for name, p := range st.Services {
			t.Logf("%s's log:\n%s", name, p.Logs())
		}
		t.Logf("jaeger's log:\n%s", st.Jaeger.Logs())
		services, err := jaeger.Services(context.Background())
		t.Logf("jaeger's services: %v (%v)", services, err)
		t.Fatalf("the last trace had %d spans (%v): %v", len(last), lastErr, jaegerapi.Paths(last))
	}
	t.Logf("a whole trace reached Jaeger %s after its restart", time.Since(restarted).Round(time.Second))
	eachServiceLogs(t, st, exportRecovered, "its exports recovering")
	for name, p := range st.Services {
		assert.Len(t, exportFailing.FindAllString(p.Logs(), -1), 1, "%s logs the outage once, not once per batch or span", name)
	}
}

// eachServiceLogs waits until every service has logged a line matching re. A failed export
// is retried for 10 s before it is reported, and exports start every 5 s.
func eachServiceLogs(t *testing.T, st *stack.Stack, re *regexp.Regexp, what string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	for name, p := range st.Services {
		_, err := p.WaitForLog(ctx, re)
		require.NoError(t, err, "%s did not log %s:\n%s", name, what, p.Logs())
	}
}

// flushOnShutdown sends a burst, stops every service at once with SIGTERM, and checks that every
// span of every request reached Jaeger: the exporters' batches are flushed on the way out.
func flushOnShutdown(t *testing.T, st *stack.Stack) {
	const burst = 20
	ids := make([]string, burst)
	errs := make([]error, burst)
	var wg sync.WaitGroup
	for i := range burst {
		wg.Go(func() { ids[i], _, errs[i] = trySend("", "") })
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	// The default batch delay is 5 s: these spans are still in the services' memory now.
	require.NoError(t, st.StopServices(30*time.Second), "every service exits cleanly on SIGTERM")
	for _, id := range ids {
		whole(t, id, 30*time.Second)
	}
}
