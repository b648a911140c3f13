package syncbuf_test

import (
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/internal/syncbuf"
)

func TestConcurrentWritesStayWholeLines(t *testing.T) {
	var b syncbuf.Buffer
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			for range 50 {
				_, _ = b.Write([]byte("one whole line\n"))
			}
		})
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	assert.Len(t, lines, 1000)
	for _, l := range lines {
		assert.Equal(t, "one whole line", l)
	}
}

// TestFindLine checks that a line is matched only once it is complete, and that a reader
// waiting for more output is woken by the next write.
func TestFindLine(t *testing.T) {
	re := regexp.MustCompile(`addr=(\S+)`)
	var b syncbuf.Buffer
	_, _ = b.Write([]byte("starting\nready addr=127.0.0.1:43"))

	match, changed := b.FindLine(re)
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
	match, _ = b.FindLine(re)
	assert.Equal(t, []string{"ready addr=127.0.0.1:4321 codec=gob", "127.0.0.1:4321"}, match)
}
