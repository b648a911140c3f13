//go:build e2e

package production

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRemoteSamplingFollowsTheStrategy starts the services with head sampling decided by the
// backend: they poll the storage Jaeger's remote_sampling extension, whose strategies.json
// samples 50% of listen's traces (the root: the others follow their parent), and send straight
// to storage, with no tail sampling in between.
func TestRemoteSamplingFollowsTheStrategy(t *testing.T) {
	// region: remote-sampled
	tp := start(t, false, func(tp *Topology) []string {
		return []string{
			"OTEL_EXPORTER_OTLP_ENDPOINT=" + tp.StorageAddrs.OTLPEndpoint(), // straight to storage
			"OTEL_TRACES_SAMPLER=parentbased_jaeger_remote",
			// Sample nothing until the strategy has arrived, so every trace counted below obeys it.
			"OTEL_TRACES_SAMPLER_ARG=endpoint=" + tp.StorageAddrs.SamplingURL() + ",pollingIntervalMs=500,initialSamplingRate=0",
		}
	})
	// endregion

	require.Eventually(t, func() bool { return tp.arrives(t, "", 9, 3*time.Second) }, time.Minute, 100*time.Millisecond,
		"no trace sampled: the strategy never reached the services")
	const n = 200
	ids := tp.sendMany(t, "", n)
	last := tp.sendMany(t, "?slow=read", 1) // sent after the others: once it is in, so are they
	_ = tp.stored(t, last[0], 9, 10*time.Second)
	kept := 0
	for _, id := range ids {
		if len(tp.lookup(t, id)) > 0 {
			kept++
		}
	}
	// Binomial(200, 0.5): mean 100, standard deviation 7.1; ±25 is three and a half of them.
	t.Logf("traces sampled by the remote strategy: %d of %d (strategy: 50%%)", kept, n)
	assert.InDelta(t, n/2, kept, 25)
}
