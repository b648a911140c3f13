package chainload

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// edge is a fake chain edge that answers every request after wait, failing every failEvery-th
// (0: never), and counts what it was sent.
type edge struct {
	wait      time.Duration
	failEvery int64
	got       atomic.Int64
	inFlight  atomic.Int64
	most      atomic.Int64
}

func (e *edge) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := e.got.Add(1)
	now := e.inFlight.Add(1)
	defer e.inFlight.Add(-1)
	for {
		most := e.most.Load()
		if now <= most || e.most.CompareAndSwap(most, now) {
			break
		}
	}
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
		http.Error(w, "want a JSON POST", http.StatusBadRequest)
		return
	}
	select {
	case <-time.After(e.wait):
	case <-r.Context().Done():
	}
	if e.failEvery > 0 && n%e.failEvery == 0 {
		http.Error(w, "fail", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func serve(t *testing.T, e *edge) string {
	t.Helper()
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	t.Cleanup(srv.CloseClientConnections)
	return srv.URL + "/api/study"
}

func TestClosedLoopKeepsConcurrencyInFlightAndCountsEveryRequest(t *testing.T) {
	e := &edge{wait: 5 * time.Millisecond, failEvery: 10}
	url := serve(t, e)
	client := &http.Client{}
	defer client.CloseIdleConnections()
	stats, err := Drive(context.Background(), client, url, Load{Concurrency: 4, Duration: 300 * time.Millisecond})
	require.NoError(t, err)

	assert.EqualValues(t, e.got.Load(), stats.OK+stats.Failed, "every request the edge saw is counted")
	assert.Positive(t, stats.OK)
	assert.Equal(t, int(e.got.Load()/10), stats.Failed, "every tenth fails")
	assert.EqualValues(t, 4, e.most.Load(), "a closed loop of 4 keeps 4 in flight")
	assert.Zero(t, stats.Missed)
	assert.GreaterOrEqual(t, stats.P50, 5*time.Millisecond)
	assert.GreaterOrEqual(t, stats.P99, stats.P50)
	assert.InDelta(t, float64(stats.OK)/stats.Elapsed.Seconds(), stats.Throughput, 0.001)
}

func TestPacedLoadCountsWhatItCannotSend(t *testing.T) {
	// 200 requests/s, each taking 50 ms, with 2 slots: the slots allow 40/s, so most are missed.
	e := &edge{wait: 50 * time.Millisecond}
	url := serve(t, e)
	client := &http.Client{}
	defer client.CloseIdleConnections()
	stats, err := Drive(context.Background(), client, url, Load{Concurrency: 2, Rate: 200, Duration: 500 * time.Millisecond})
	require.NoError(t, err)

	assert.EqualValues(t, e.got.Load(), stats.OK, "every request sent was waited for")
	assert.LessOrEqual(t, e.most.Load(), int64(2))
	assert.Positive(t, stats.Missed)
	assert.Greater(t, stats.Missed, stats.OK, "the slots, not the rate, limited the run")
}

func TestDriveRefusesABadLoad(t *testing.T) {
	for _, l := range []Load{
		{Concurrency: 0, Duration: time.Second},
		{Concurrency: 1000, Duration: time.Second},
		{Concurrency: 1, Duration: 0},
		{Concurrency: 1, Duration: time.Hour},
		{Concurrency: 1, Duration: time.Second, Rate: -1},
	} {
		_, err := Drive(context.Background(), http.DefaultClient, "http://127.0.0.1:1/", l)
		assert.ErrorContains(t, err, "chainload:", "%+v", l)
	}
}

func TestDriveReturnsTheContextsError(t *testing.T) {
	e := &edge{wait: time.Millisecond}
	url := serve(t, e)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Drive(ctx, &http.Client{}, url, Load{Concurrency: 1, Duration: time.Second})
	assert.ErrorIs(t, err, context.Canceled)
}

func TestPercentileIsNearestRank(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 200; i++ {
		d = append(d, time.Duration(i))
	}
	assert.Equal(t, time.Duration(100), percentile(d, 50))
	assert.Equal(t, time.Duration(198), percentile(d, 99))
	assert.Equal(t, time.Duration(1), percentile(d[:1], 99))
	assert.Zero(t, percentile(nil, 50))
}
