//go:build unix

package cpubench

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCPUTimeGrowsWithWork(t *testing.T) {
	before, ok := cpuTime()
	require.True(t, ok, "getrusage answers on every unix")
	x := 0
	for i := range 50_000_000 {
		x ^= i
	}
	after, ok := cpuTime()
	require.True(t, ok)
	assert.Greater(t, after, before, "50 million iterations (%d) use some CPU", x)
}
