//go:build e2e

package e2e

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch04-jaeger/jaegerapi"
	"github.com/rpc-tracing/workbook/internal/stack"
)

// outageBound is far below what exporting on the request path would cost (the OTLP exporter's
// timeout is 10 s) and far above a request's normal few milliseconds, so the check neither
// flakes on a busy machine nor misses the failure it is for.
const outageBound = time.Second

// outage kills Jaeger, checks requests still succeed as fast as before, restarts Jaeger and
// checks new traces arrive again.
func outage(t *testing.T, st *stack.Stack) {
	var before []time.Duration
	for range 10 {
		_, d := study(t, "", "")
		before = append(before, d)
	}
	st.KillJaeger()
	var during []time.Duration
	for range 20 {
		_, d := study(t, "", "")
		assert.Less(t, d, outageBound, "a request waited on the missing Jaeger")
		during = append(during, d)
	}
	t.Logf("median latency with Jaeger up: %s, down: %s", median(before), median(during))

	require.NoError(t, st.StartJaeger(context.Background()))
	// The exporters reconnect with gRPC's backoff: give them time, then a new trace must arrive.
	require.Eventually(t, func() bool {
		id, _, err := trySend("", "")
		if err != nil {
			return false
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		spans, err := jaeger.WaitForTrace(ctx, id, func(s []jaegerapi.Span) bool { return len(s) >= 9 })
		return err == nil && len(spans) == 9
	}, 2*time.Minute, time.Second, "no whole trace reached the restarted Jaeger")
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
