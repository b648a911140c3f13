package load_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch05-monitoring/internal/load"
)

// TestRunSendsExactCountsPerKind: with a fixed count, each kind gets exactly its share, each
// answer is counted under its status, and each kind keeps trace IDs of its own requests.
func TestRunSendsExactCountsPerKind(t *testing.T) {
	const slow = 20 * time.Millisecond
	e := startEdge(t, edgeOptions{slow: slow})
	res, err := load.Run(t.Context(), load.Config{
		Target: e.url, Requests: 200, Concurrency: 8,
		Mix: []load.Kind{
			{Name: "normal", Query: "", Weight: 90},
			{Name: "slow read", Query: "?slow=read", Weight: 5},
			{Name: "failing write", Query: "?fail=write", Weight: 4},
			{Name: "timing out", Query: "slow=sing", Weight: 1},
		},
	})
	require.NoError(t, err)
	assert.Equal(t, load.StoppedByCount, res.Stopped)
	assert.EqualValues(t, 200, e.hits.Load(), "the edge saw every request, and no more")

	want := []struct {
		name     string
		statuses map[int]int
		how      int
	}{
		{"normal", map[int]int{http.StatusOK: 180}, answeredOK},
		{"slow read", map[int]int{http.StatusOK: 10}, answeredSlow},
		{"failing write", map[int]int{http.StatusBadGateway: 8}, answeredFailed},
		{"timing out", map[int]int{http.StatusGatewayTimeout: 2}, answeredTimedOut},
	}
	require.Len(t, res.Kinds, len(want))
	for i, w := range want {
		k := res.Kinds[i]
		assert.Equal(t, w.name, k.Name)
		assert.Equal(t, w.statuses, k.Statuses, k.Name)
		assert.Zero(t, k.NoAnswer, k.Name)
		require.NotEmpty(t, k.TraceIDs, k.Name)
		assert.LessOrEqual(t, len(k.TraceIDs), load.MaxTraceIDs, k.Name)
		for _, id := range append(k.TraceIDs, k.Slowest.TraceID) {
			requireTraceFrom(t, w.how, id)
		}
	}
	assert.Equal(t, 200, res.Overall.Sent)
	assert.Equal(t, 190, res.Overall.OK())
	assert.Equal(t, 10, res.Overall.Failed())

	slowRead := res.Kinds[1]
	assert.GreaterOrEqual(t, slowRead.Latency.P50, slow, "every slow read took at least the delay")
	assert.GreaterOrEqual(t, res.Overall.Latency.Max, slow)
	assert.Equal(t, slowRead.Latency.Max, slowRead.Slowest.Latency, "the slowest trace is the slowest request")
}

// TestRunStopsAtDuration: the edge answers 20 requests and then hangs; the run ends when its
// duration passes, counting the 20 and not the requests it stopped waiting for.
func TestRunStopsAtDuration(t *testing.T) {
	e := startEdge(t, edgeOptions{hangAfter: 20})
	const d = time.Second // long enough for 20 quick answers on a busy machine
	res, err := load.Run(t.Context(), load.Config{Target: e.url, Duration: d, Concurrency: 4})
	require.NoError(t, err)
	assert.Equal(t, load.StoppedByDuration, res.Stopped)
	assert.Equal(t, 20, res.Overall.Sent)
	assert.Equal(t, 20, res.Overall.Answered())
	assert.GreaterOrEqual(t, res.Elapsed, d)
	assert.Less(t, res.Elapsed, d+5*time.Second, "the run does not wait out the per-request timeout")
}

// TestRunStopsWhenContextEnds: the run ends as soon as its context does, returns what it
// counted so far and says why it stopped.
func TestRunStopsWhenContextEnds(t *testing.T) {
	const concurrency = 3
	e := startEdge(t, edgeOptions{hangAfter: 10})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go func() {
		// Every worker is waiting on a hung request, so the first 10 have all been counted.
		for range concurrency {
			select {
			case <-e.hung:
			case <-ctx.Done(): // the run ended some other way: the test fails below
				return
			}
		}
		cancel()
	}()
	res, err := load.Run(ctx, load.Config{Target: e.url, Requests: 100, Concurrency: concurrency})
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, load.StoppedByContext, res.Stopped)
	assert.Equal(t, 10, res.Overall.Sent)
	assert.Equal(t, 10, res.Overall.Answered())
}

// TestRunKeepsConcurrencyBound: the edge holds each request until as many as the bound are in
// flight, then lets them all go. If the generator ever had more in flight, the edge would see
// more; if it had fewer, the batch would never fill and the requests would time out.
func TestRunKeepsConcurrencyBound(t *testing.T) {
	for _, concurrency := range []int{1, 3, 8} {
		t.Run(fmt.Sprintf("concurrency=%d", concurrency), func(t *testing.T) {
			b := newBarrier(concurrency)
			e := startEdge(t, edgeOptions{before: b.wait})
			res, err := load.Run(t.Context(), load.Config{
				Target: e.url, Requests: 5 * concurrency, Concurrency: concurrency, Timeout: 5 * time.Second,
			})
			require.NoError(t, err)
			assert.Equal(t, 5*concurrency, res.Overall.Answered(), "every batch filled")
			assert.Equal(t, concurrency, b.maxInFlight(), "in flight at most, and at some point exactly, the bound")
		})
	}
}

// TestRunCountsTransportErrors: a dropped connection and a request past its timeout are
// counted as no answer, per kind, and do not stop the run.
func TestRunCountsTransportErrors(t *testing.T) {
	e := startEdge(t, edgeOptions{})
	res, err := load.Run(t.Context(), load.Config{
		Target: e.url, Requests: 20, Concurrency: 4, Timeout: 250 * time.Millisecond,
		Mix: []load.Kind{
			{Name: "normal", Weight: 8},
			{Name: "dropped", Query: "?drop=1", Weight: 1},
			{Name: "hanging", Query: "?hang=1", Weight: 1},
		},
	})
	require.NoError(t, err)
	assert.Equal(t, map[int]int{http.StatusOK: 16}, res.Kinds[0].Statuses)
	for _, k := range res.Kinds[1:] {
		assert.Empty(t, k.Statuses, k.Name)
		assert.Equal(t, 2, k.NoAnswer, k.Name)
		assert.Equal(t, 2, k.Failed(), k.Name)
		assert.Zero(t, k.Latency, "no answer, no latency")
	}
	assert.Equal(t, 4, res.Overall.NoAnswer)
}

// TestRunReportsTargetDown: when nothing answers at all, the run says the target is down and
// why, rather than returning a table of zeros.
func TestRunReportsTargetDown(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	target := "http://" + l.Addr().String() + "/api/study"
	require.NoError(t, l.Close()) // nothing listens there now

	res, err := load.Run(t.Context(), load.Config{Target: target, Requests: 10, Concurrency: 2})
	require.ErrorIs(t, err, load.ErrTargetDown)
	assert.ErrorContains(t, err, "connection refused")
	assert.Equal(t, 10, res.Overall.NoAnswer)
}

// TestRunDoesNotFollowRedirects: a redirect is counted as the answer it is; following it
// would take the next request off the machine.
func TestRunDoesNotFollowRedirects(t *testing.T) {
	e := startEdge(t, edgeOptions{})
	res, err := load.Run(t.Context(), load.Config{
		Target: e.url + "?redirect=1", Requests: 4, Concurrency: 2, Timeout: 5 * time.Second,
	})
	require.NoError(t, err)
	assert.Equal(t, map[int]int{http.StatusFound: 4}, res.Overall.Statuses)
	assert.EqualValues(t, 4, e.hits.Load())
}
