package proctest

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLineBufferFind checks that a line is matched only once it is complete, and that a reader
// waiting for more output is woken by the next write.
func TestLineBufferFind(t *testing.T) {
	re := regexp.MustCompile(`addr=(\S+)`)
	var b lineBuffer
	_, _ = b.Write([]byte("starting\nready addr=127.0.0.1:43"))

	match, changed := b.find(re)
	assert.Nil(t, match, "half a line must not match: the port is not all there yet")
	require.NotNil(t, changed)
	select {
	case <-changed:
		require.FailNow(t, "woken before any write")
	default:
	}

	_, _ = b.Write([]byte("21 codec=gob\n"))
	select {
	case <-changed:
	default:
		require.FailNow(t, "the write did not wake the reader")
	}
	match, _ = b.find(re)
	assert.Equal(t, []string{"ready addr=127.0.0.1:4321 codec=gob", "127.0.0.1:4321"}, match)
}
