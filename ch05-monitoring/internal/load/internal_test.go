package load

import (
	"os"
	"path/filepath"
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

// TestProgressLine: on a terminal the bar is redrawn in place, it counts what ends the run, and a
// shorter line blanks out the end of the longer one before it.
func TestProgressLine(t *testing.T) {
	var out strings.Builder
	byCount := progress{w: &out, live: true, requests: 1000, duration: MaxDuration, byCount: true}
	byCount.draw(512, 486, 26, 8100*time.Millisecond)
	assert.Equal(t, "\r[██████████░░░░░░░░░░] 512/1000 requests  ok 486  failed 26  8.1s", out.String())
	out.Reset()
	byCount.finish(1000, 974, 26, 95*time.Second)
	assert.Equal(t, "\r[████████████████████] 1000/1000 requests  ok 974  failed 26  95.0s\n", out.String())

	out.Reset()
	byTime := progress{w: &out, live: true, requests: MaxRequests, duration: 40 * time.Second, byTime: true}
	byTime.draw(5120, 4860, 260, 20*time.Second)
	assert.Equal(t, "\r[██████████░░░░░░░░░░] 20.0s/40s  sent 5120  ok 4860  failed 260", out.String())
	out.Reset()
	byTime.draw(9, 9, 0, 30*time.Second) // shorter: blanks out what is left of the last line
	assert.Equal(t, "\r[███████████████░░░░░] 30.0s/40s  sent 9  ok 9  failed 0        ", out.String())

	out.Reset()
	both := progress{w: &out, live: true, requests: 1000, duration: 2 * time.Minute, byCount: true, byTime: true}
	both.draw(3, 3, 0, 90*time.Second) // three quarters of the time gone: the time is nearer
	assert.Equal(t, "\r[███████████████░░░░░] 3/1000 requests  90.0s/2m0s  ok 3  failed 0", out.String())
}

// TestProgressOffATerminal: off a terminal nothing is drawn until the end, and then one line.
func TestProgressOffATerminal(t *testing.T) {
	var out strings.Builder
	p := progress{w: &out, requests: 200, duration: MaxDuration, byCount: true}
	p.draw(100, 100, 0, time.Second)
	assert.Empty(t, out.String())
	p.finish(200, 190, 10, 2*time.Second)
	assert.Equal(t, "[████████████████████] 200/200 requests  ok 190  failed 10  2.0s\n", out.String())
}

// TestIsTerminal: a pipe, a regular file and a strings.Builder are not terminals; a
// pseudo-terminal (a character device) is.
func TestIsTerminal(t *testing.T) {
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	assert.False(t, isTerminal(w), "a pipe")
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	require.NoError(t, err)
	defer f.Close()
	assert.False(t, isTerminal(f), "a file")
	assert.False(t, isTerminal(&strings.Builder{}), "not a file")

	pty, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	require.NoError(t, err, "a pseudo-terminal to test with (Linux, macOS)")
	defer pty.Close()
	assert.True(t, isTerminal(pty), "a terminal")
}
