package ch01netrpc_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/internal/proctest"
)

// TestMakeCh01RunsEveryStepAndLeavesNoServer runs the script behind `make ch01` on a free port
// (CH01_ADDR) and checks what it prints, the article's "Result: 9" first, and that the servers it
// started are gone: its port is free again.
func TestMakeCh01RunsEveryStepAndLeavesNoServer(t *testing.T) {
	addr := proctest.FreeAddr(t)
	res := proctest.RunScript(t, "../scripts/ch01-demo.sh", "CH01_ADDR="+addr)
	require.Equal(t, 0, res.ExitCode, "stdout:\n%s\nstderr:\n%s", res.Stdout, res.Stderr)
	for _, want := range []string{"Result: 9", "2 + 3 = 5", "2 - 3 = -1", "6 * 7 = 42", "7 / 2 = 3", "division by zero",
		"# stopping the server with SIGTERM", "# server log (exit status 0)", `msg="serving Calculator"`} {
		assert.Contains(t, res.Stdout, want)
	}
	assert.Less(t, strings.Index(res.Stdout, "Result: 9"), strings.Index(res.Stdout, "2 + 3 = 5"), "the article's calculator comes first")
	proctest.AssertFree(t, addr)
}

// TestMakeCh01FailsClearlyWhenItsPortIsTaken occupies the script's port first: the server cannot
// start, and the script must say why and how to fix it, exit non-zero, and make no call.
func TestMakeCh01FailsClearlyWhenItsPortIsTaken(t *testing.T) {
	res, addr := proctest.RunScriptOnATakenPort(t, "../scripts/ch01-demo.sh", "CH01_ADDR")
	assert.NotEqual(t, 0, res.ExitCode)
	assert.Contains(t, res.Stderr, "address already in use")
	assert.Contains(t, res.Stderr, "is "+addr+" in use? set CH01_ADDR=127.0.0.1:PORT")
	assert.NotContains(t, res.Stdout, "2 + 3 = 5", "no call is made without a server")
}
