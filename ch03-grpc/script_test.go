package ch03grpc_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/internal/proctest"
)

// TestMakeCh03RunsTheTourAndLeavesNoServer runs the script behind `make ch03` on a free port
// (CH03_ADDR): the tour, the health check, a clean stop, nine waterfalls; and the server it
// started is gone afterwards, its port free again.
func TestMakeCh03RunsTheTourAndLeavesNoServer(t *testing.T) {
	addr := proctest.FreeAddr(t)
	res := proctest.RunScript(t, "../scripts/ch03-demo.sh", "CH03_ADDR="+addr)
	require.Equal(t, 0, res.ExitCode, "stdout:\n%s\nstderr:\n%s", res.Stdout, res.Stderr)
	for _, want := range []string{"2 + 3 = 5", "7 / 0: InvalidArgument", "deadline 500ms: DeadlineExceeded",
		"sum(1..5) = 15", "health of calculator.v1.CalculatorService: SERVING",
		"# server log (exit status 0)", "msg=stopped", "# every trace, from both processes' spans"} {
		assert.Contains(t, res.Stdout, want)
	}
	assert.Equal(t, 9, strings.Count(res.Stdout, "  3 spans\n"), "nine traces of three spans: the tour's span, the client's, the server's")
	proctest.AssertFree(t, addr)
}

// TestMakeCh03FailsClearlyWhenItsPortIsTaken occupies the script's port first: the script must
// say why and how to fix it, exit non-zero, and run no client.
func TestMakeCh03FailsClearlyWhenItsPortIsTaken(t *testing.T) {
	res, addr := proctest.RunScriptOnATakenPort(t, "../scripts/ch03-demo.sh", "CH03_ADDR")
	assert.NotEqual(t, 0, res.ExitCode)
	assert.Contains(t, res.Stderr, "is "+addr+" in use? set CH03_ADDR=127.0.0.1:PORT")
	assert.NotContains(t, res.Stdout, "2 + 3 = 5", "no call is made without a server")
}
