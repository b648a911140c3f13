//go:build e2e

package production

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTailSamplingTopology sends a known mix through the collector tier and checks what storage
// kept. Not covered yet (see the open issue): ingesting new traces after the storage Jaeger
// restarts (they did not arrive in a first attempt), and the collector going away.
func TestTailSamplingTopology(t *testing.T) {
	tp := start(t)
	normalIDs := sendMany(t, "", normal)
	slowIDs := sendMany(t, "?slow=read", slow)
	failingIDs := sendMany(t, "?fail=write", failing)

	t.Run("every failing trace is kept whole", func(t *testing.T) {
		// 7 spans, or 6 when write's failure cancelled the read call before it reached read.
		for _, id := range failingIDs {
			assert.Contains(t, []int{6, 7}, stored(t, id, 6, 30*time.Second), "trace %s: every span of every service", id)
		}
	})
	t.Run("every slow trace is kept whole", func(t *testing.T) {
		for _, id := range slowIDs {
			assert.Equal(t, 9, stored(t, id, 9, 30*time.Second), "trace %s", id)
		}
	})
	t.Run("about 10% of the normal traces are kept", func(t *testing.T) {
		// The normal traces were sent first: by now, with every later trace stored, the
		// collector has decided each of them. One look each is enough.
		kept := 0
		for _, id := range normalIDs {
			switch n := lookup(t, id); n {
			case 9:
				kept++
			case 0:
			default:
				t.Errorf("trace %s kept in part: %d spans", id, n)
			}
		}
		// Binomial(300, 0.1): mean 30, standard deviation 5.2; ±15 is about three of them.
		want := normal * keepPercent / 100
		t.Logf("normal traces kept: %d of %d (configured %d%%)", kept, normal, keepPercent)
		assert.InDelta(t, want, kept, 15)
	})
	t.Run("stored traces survive a restart of the storage Jaeger", func(t *testing.T) {
		require.NoError(t, tp.storage.Stop(30*time.Second))
		tp.startStorage(t)
		for _, id := range slowIDs[:3] {
			assert.Equal(t, 9, stored(t, id, 9, 10*time.Second), "trace %s after the restart", id)
		}
	})
}
