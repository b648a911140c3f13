//go:build e2e

package chainload_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/perf/chainload"
)

// TestBenchAgainstTheRealJaeger runs chainbench's whole plan, shortened, against the real Jaeger
// and chapter 4's real services (built by `make backends ch04-bins perf-bins`), and checks what
// docs/performance.md claims from it: spans are counted exactly, nothing is lost below
// capacity, tracing off exports nothing, and a stalled Jaeger costs spans, not requests.
func TestBenchAgainstTheRealJaeger(t *testing.T) {
	p := chainload.Plan{
		Bin:          "../../bin",
		JaegerConfig: "../jaeger.yaml",
		JaegerCPUs:   "1",
		ServiceCPUs:  "0",
		Flood:        []string{"../../bin/chainbench", "flood"},
		Load:         chainload.Load{Concurrency: 4, Duration: 7 * time.Second},
		Repeats:      1,
		// A small queue, so that the 5 s stall overflows it even under -race's slower load.
		ServiceEnv:     []string{"OTEL_BSP_MAX_QUEUE_SIZE=256", "OTEL_BSP_MAX_EXPORT_BATCH_SIZE=128"},
		CapacityWindow: 3 * time.Second,
		LossDuration:   5 * time.Second,
		Log:            testWriter{t},
		FreePorts:      true,
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	rep, err := p.Run(ctx)
	require.NoError(t, err)

	assert.Positive(t, rep.JaegerCapacity)
	require.Positive(t, rep.SpansPerTrace)
	require.Len(t, rep.Runs, 3)
	for _, run := range rep.Runs {
		assert.Positive(t, run.Stats.OK, run.Sampling)
		assert.Zero(t, run.Stats.Failed, run.Sampling)
		switch run.Sampling {
		case chainload.Off.Name:
			assert.Zero(t, run.SpansReceived, "always_off exports nothing")
		case chainload.Full.Name:
			// Warm-up requests count too: every span of every request arrives.
			assert.GreaterOrEqual(t, run.SpansReceived, float64(run.Stats.OK*rep.SpansPerTrace))
		}
	}

	assert.Positive(t, rep.Loss.SpansProduced)
	assert.Equal(t, rep.Loss.SpansProduced, rep.Loss.SpansReceived, "no span lost below capacity")
	assert.Zero(t, rep.Loss.Stats.Failed)

	assert.Zero(t, rep.Stall.Stats.Failed, "a frozen Jaeger does not fail a request")
	assert.Positive(t, rep.Stall.Stats.OK)
	assert.Less(t, rep.Stall.SpansReceived, rep.Stall.SpansProduced, "the full queues dropped spans")
	assert.Positive(t, rep.Stall.SpansReceived, "export went on after the stall")
	assert.Zero(t, rep.Shared.Stats.Failed)
	assert.Positive(t, rep.Shared.FloodSpansRate)
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}
