package exercise

import (
	"strings"
	"testing"

	"go.uber.org/goleak"
)

// NoLeaks fails t if a goroutine started while t ran is still running once t and its cleanups
// are done. Every check calls it first, so the learner's test file is one function long and a
// stub that leaves a goroutine behind is told so. (dialpercall's check, whose lesson is a leak,
// has a finer message of its own.)
func NoLeaks(t testing.TB) {
	t.Helper()
	before := goleak.IgnoreCurrent()
	// Registered first, so it runs last: after the check's own cleanups have stopped its servers.
	t.Cleanup(func() {
		t.Helper()
		if err := goleak.Find(before); err != nil {
			t.Errorf("a goroutine your code started was still running after the check ended; goleak %v\nhint: %s",
				err, leakHint(err.Error()))
		}
	})
}

// leakHints say, for the state goleak reports a goroutine in, what usually keeps it there.
var leakHints = []struct{ state, hint string }{
	{"in state chan send", "it is blocked sending on a channel that nobody receives from any more (its reader returned first): " +
		"give the channel a buffer of 1, or make sure something always receives"},
	{"in state chan receive", "it waits on a channel that nothing will send on or close: close the channel, or also wait on a context that ends"},
	{"in state select", "it waits in a select that nothing will wake: add a case for a context that ends, or close what it waits on"},
	{"in state IO wait", "it waits on a network connection: close the connection, or the client that owns it, when you are done with it"},
	{"in state sleep", "it is sleeping in a loop or a timer: stop it when its work is no longer wanted"},
}

// leakHint picks the hint for the first state found in goleak's report, or a general one.
func leakHint(report string) string {
	for _, h := range leakHints {
		if strings.Contains(report, h.state) {
			return h.hint
		}
	}
	return "close what your code opens and stop what it starts before the function that started it returns"
}
