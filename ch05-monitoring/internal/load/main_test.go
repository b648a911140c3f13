package load_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if a run leaves a goroutine behind: a worker still sending, a
// connection nobody closed, the goroutine that closes the outcomes channel.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
