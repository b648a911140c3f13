package load

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSchedule: the round-robin spreads each kind out and gives it exactly its weight per cycle.
func TestSchedule(t *testing.T) {
	for _, tc := range []struct {
		weights []int
		want    string
	}{
		{[]int{1}, "a"},
		{[]int{1, 1}, "ab"},
		{[]int{5, 1, 1}, "aabacaa"},
		{[]int{2, 3}, "babab"},
	} {
		var got strings.Builder
		for _, k := range schedule(tc.weights) {
			got.WriteByte(byte('a' + k))
		}
		assert.Equal(t, tc.want, got.String(), "weights %v", tc.weights)
	}

	cycle := schedule(weights(DefaultMix))
	require.Len(t, cycle, 100)
	counts := map[int]int{}
	for _, k := range cycle {
		counts[k]++
	}
	assert.Equal(t, map[int]int{0: 90, 1: 5, 2: 5}, counts)
	var slowReads []int
	for i, k := range cycle {
		if k == 1 {
			slowReads = append(slowReads, i)
		}
	}
	assert.Equal(t, []int{6, 26, 46, 66, 86}, slowReads, "one in 20, evenly spread")
}

// TestDialLoopbackOnly: the dialer's last check, after name resolution, lets only loopback
// addresses through.
func TestDialLoopbackOnly(t *testing.T) {
	for address, ok := range map[string]bool{
		"127.0.0.1:8080":        true,
		"127.3.2.1:80":          true,
		"[::1]:8080":            true,
		"[::ffff:127.0.0.1]:80": true,
		"10.0.0.1:8080":         false,
		"[2001:db8::1]:80":      false,
		"[fe80::1%lo]:80":       false,
		"0.0.0.0:80":            false,
		"not an address":        false,
	} {
		err := dialLoopbackOnly("tcp", address, nil)
		if ok {
			assert.NoError(t, err, address)
		} else {
			assert.ErrorIs(t, err, ErrNotLoopback, address)
		}
	}
}

// TestProgressLine: the bar fills by the nearer bound, and a shorter line blanks out the
// end of the longer one before it.
func TestProgressLine(t *testing.T) {
	var out strings.Builder
	p := progress{w: &out, requests: 1000, duration: 2 * time.Minute}
	p.draw(512, 486, 26, 8100*time.Millisecond)
	assert.Equal(t, "\r[██████████░░░░░░░░░░] 512/1000  ok 486  failed 26  8.1s/2m0s", out.String())

	out.Reset()
	p.draw(3, 3, 0, 90*time.Second) // three quarters of the time gone: the time is nearer
	assert.Equal(t, "\r[███████████████░░░░░] 3/1000  ok 3  failed 0  90.0s/2m0s    ", out.String())

	out.Reset()
	p.finish(1000, 974, 26, 95*time.Second)
	assert.Equal(t, "\r[████████████████████] 1000/1000  ok 974  failed 26  95.0s/2m0s\n", out.String())
}
