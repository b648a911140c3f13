package cpubench

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestCPUTimeGrowsWithWork(t *testing.T) {
	before, ok := cpuTime()
	if !ok {
		t.Skip("no CPU time on this platform")
	}
	x := 0
	for i := range 50_000_000 {
		x ^= i
	}
	after, _ := cpuTime()
	assert.Greater(t, after, before, "50 million iterations (%d) use some CPU", x)
}
