//go:build e2e

package production

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/internal/jaegerapi"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	keepPercent           = 10 // collector.yaml's probabilistic policy
	normal, slow, failing = 300, 20, 20
)

// testConfig runs the topology on free ports, so the tests run while `make ch04-production`
// (or anything else) holds the documented ones.
var testConfig = Config{Bin: "../../../bin", Dir: "../../production", FreePorts: true}

// start starts storage, the collector tier if withCollector, and the five services with the
// environment env returns once the Jaegers' addresses are known.
func start(t *testing.T, withCollector bool, env func(*Topology) []string) *Topology {
	t.Helper()
	tp, err := Start(context.Background(), testConfig, withCollector)
	require.NoError(t, err, "an end-to-end test fails without its backends")
	t.Cleanup(func() { assert.NoError(t, tp.Stop()) })
	require.NoError(t, tp.StartServices(context.Background(), env(tp)...))
	return tp
}

// send makes one request with the query's knobs and returns its trace ID and latency.
func (tp *Topology) send(query string) (string, time.Duration, error) {
	return tp.Study(context.Background(), query)
}

func (tp *Topology) sendMany(t *testing.T, query string, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range ids {
		id, _, err := tp.send(query)
		require.NoError(t, err)
		ids[i] = id
	}
	return ids
}

// stored returns how many spans storage has for the trace (0 if none), waiting up to wait for
// want spans.
func (tp *Topology) stored(t *testing.T, id string, want int, wait time.Duration) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	spans, _ := tp.StorageAPI().WaitForTrace(ctx, id, func(s []jaegerapi.Span) bool { return len(s) >= want })
	return len(spans)
}

// lookup returns the spans storage has for the trace right now (none if it has not kept it).
func (tp *Topology) lookup(t *testing.T, id string) []jaegerapi.Span {
	t.Helper()
	spans, err := tp.StorageAPI().Trace(context.Background(), id)
	if errors.Is(err, jaegerapi.ErrNotFound) {
		return nil
	}
	require.NoError(t, err)
	return spans
}

// storedWhole waits up to wait for storage to have the trace whole (see Whole) and returns what
// it has then.
func (tp *Topology) storedWhole(t *testing.T, id string, failing bool, wait time.Duration) []jaegerapi.Span {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	spans, _ := tp.StorageAPI().WaitForTrace(ctx, id, func(s []jaegerapi.Span) bool { return Whole(s, failing) })
	return spans
}
