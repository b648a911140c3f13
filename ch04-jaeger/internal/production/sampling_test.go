//go:build e2e

package production

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/internal/jaegerapi"
)

// TestTailSamplingTopology sends a known mix through the collector tier and checks what storage
// kept, then restarts storage and stops the collector.
func TestTailSamplingTopology(t *testing.T) {
	// region: via-collector
	tp := start(t, true, func(tp *Topology) []string {
		return []string{"OTEL_EXPORTER_OTLP_ENDPOINT=" + tp.CollectorAddrs.OTLPEndpoint()} // the collector, by configuration only
	})
	// endregion
	normalIDs := tp.sendMany(t, "", normal)
	slowIDs := tp.sendMany(t, "?slow=read", slow)
	failingIDs := tp.sendMany(t, "?fail=write", failing)

	// The collector exports to storage with retries (5 s, then longer): a batch that had to be
	// retried arrives late, so every trace of a kind shares one generous deadline.
	//
	// A failing trace has 5 to 7 spans: write's failure may cancel the read call before it starts
	// or before it reaches read. Whole checks the tree: the path to write, and read's span if its
	// call was answered.
	for _, kind := range []struct {
		name    string
		ids     []string
		failing bool
	}{
		{"every failing trace is kept whole", failingIDs, true},
		{"every slow trace is kept whole", slowIDs, false},
	} {
		t.Run(kind.name, func(t *testing.T) {
			deadline := time.Now().Add(90 * time.Second)
			for _, id := range kind.ids {
				spans := tp.storedWhole(t, id, kind.failing, time.Until(deadline))
				assert.True(t, Whole(spans, kind.failing), "trace %s: every span of every service, each under its parent: %v\ncollector:\n%s\nstorage:\n%s",
					id, jaegerapi.Paths(spans), tail(tp.Collector.Logs()), tail(tp.Storage.Logs()))
			}
		})
	}
	t.Run("about 10% of the normal traces are kept", func(t *testing.T) {
		// The normal traces were sent first: by now, with every later trace stored, the
		// collector has decided each of them. One look each is enough.
		kept := 0
		for _, id := range normalIDs {
			spans := tp.lookup(t, id)
			switch {
			case Whole(spans, false):
				kept++
			case len(spans) > 0:
				t.Errorf("trace %s kept in part: %v", id, jaegerapi.Paths(spans))
			}
		}
		// Binomial(300, 0.1): mean 30, standard deviation 5.2; ±15 is about three of them.
		want := normal * keepPercent / 100
		t.Logf("normal traces kept: %d of %d (configured %d%%)", kept, normal, keepPercent)
		assert.InDelta(t, want, kept, 15)
	})
	t.Run("stored traces survive a restart of the storage Jaeger", func(t *testing.T) {
		// Jaeger drains its pipeline before it exits; under load that has taken over 30 s here.
		require.NoError(t, tp.Storage.Stop(90*time.Second))
		require.NoError(t, tp.StartStorage(context.Background()))
		for _, id := range slowIDs[:3] {
			assert.Equal(t, 9, tp.stored(t, id, 9, 10*time.Second), "trace %s after the restart", id)
		}
		// And it stores new ones: the collector's exporter reconnects by itself.
		require.Eventually(t, func() bool { return tp.arrives(t, "?slow=read", 9, 20*time.Second) }, time.Minute, time.Second,
			"no new trace stored after the restart\ncollector:\n%s\nstorage:\n%s", tail(tp.Collector.Logs()), tail(tp.Storage.Logs()))
	})
	t.Run("requests do not notice the collector going away", func(t *testing.T) {
		before := tp.latencies(t, 10)
		require.NoError(t, tp.Collector.Stop(30*time.Second))
		during := tp.latencies(t, 20)
		for _, d := range during {
			assert.Less(t, d, time.Second, "a request waited on the missing collector")
		}
		t.Logf("median latency with the collector up: %s, down: %s", median(before), median(during))
		// Unchanged, with room for a shared machine's noise: waiting on the exporter would cost
		// a connection attempt and its retries per request, not a few milliseconds.
		assert.LessOrEqual(t, median(during), 2*median(before)+25*time.Millisecond, "requests slowed down while the collector was down")
		require.NoError(t, tp.StartCollector(context.Background()))
		// The services' exporters reconnect by themselves: a trace sent now arrives.
		require.Eventually(t, func() bool { return tp.arrives(t, "?slow=read", 9, 10*time.Second) }, 2*time.Minute, time.Second,
			"no trace stored after the collector came back\ncollector:\n%s", tail(tp.Collector.Logs()))
	})
}

// latencies sends n normal requests one after another and returns how long each took.
func (tp *Topology) latencies(t *testing.T, n int) []time.Duration {
	t.Helper()
	out := make([]time.Duration, n)
	for i := range out {
		_, d, err := tp.send("")
		require.NoError(t, err)
		out[i] = d
	}
	return out
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// arrives sends one request and reports whether storage has its trace whole within wait.
func (tp *Topology) arrives(t *testing.T, query string, spans int, wait time.Duration) bool {
	t.Helper()
	id, _, err := tp.send(query)
	return err == nil && tp.stored(t, id, spans, wait) == spans
}

// tail is the end of a process's log, for a failure message.
func tail(logs string) string {
	if len(logs) > 2000 {
		return "…" + logs[len(logs)-2000:]
	}
	return logs
}
