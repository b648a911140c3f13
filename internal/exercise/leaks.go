package exercise

import (
	"testing"

	"go.uber.org/goleak"
)

// NoLeaks fails t if a goroutine started while t ran is still running once t and its cleanups
// are done. Every check calls it first, so the learner's test file is one function long and a
// stub that leaves a connection or a server behind is told so. (dialpercall's check, whose lesson
// is a leak, has a finer message of its own.)
func NoLeaks(t testing.TB) {
	t.Helper()
	before := goleak.IgnoreCurrent()
	// Registered first, so it runs last: after the check's own cleanups have stopped its servers.
	t.Cleanup(func() {
		t.Helper()
		if err := goleak.Find(before); err != nil {
			t.Errorf("goroutines started during the check were still running after it: %v\n"+
				"hint: close what your code opens (connections, response bodies) and stop what it starts", err)
		}
	})
}
