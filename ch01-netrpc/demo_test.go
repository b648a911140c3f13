// Package ch01netrpc_test checks chapter 1 the way a reader meets it: the programs `make ch01`
// runs, built and started as real processes, and the chapter's doc against the code it quotes.
// The code itself is tested beside it, in calc and the solutions.
package ch01netrpc_test

import (
	"regexp"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/internal/proctest"
)

const (
	serverPkg = "github.com/rpc-tracing/workbook/ch01-netrpc/cmd/server"
	clientPkg = "github.com/rpc-tracing/workbook/ch01-netrpc/cmd/client"
	// processTimeout bounds every program run; each should take milliseconds.
	processTimeout = 30 * time.Second
)

// serving matches the server's first log line and captures the address it really listens on,
// which is how a test learns the port when the server was given 127.0.0.1:0.
var serving = regexp.MustCompile(`msg="serving Calculator" addr=(\S+) codec=(\S+)`)

// build compiles the chapter's two programs for one test.
func build(t *testing.T) (server, client string) {
	t.Helper()
	return proctest.Build(t, serverPkg), proctest.Build(t, clientPkg)
}

// startServer starts the server binary on a free loopback port and returns it with its address.
func startServer(t *testing.T, server string, args ...string) (*proctest.Process, string) {
	t.Helper()
	proc := proctest.Start(t, processTimeout, server, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	return proc, proc.WaitForLine(t, serving, processTimeout)[1]
}

// run is one client invocation and how it must end.
type run struct {
	name       string
	args       []string
	wantCode   int
	wantStdout string
	wantStderr string
}

// check runs the client binary with tc's arguments (after -addr addr) and checks its exit code
// and both outputs exactly.
func (tc run) check(t *testing.T, client, addr string) {
	t.Helper()
	res := proctest.Run(t, processTimeout, client, append([]string{"-addr", addr}, tc.args...)...)
	assert.Equal(t, tc.wantCode, res.ExitCode, "exit code; stderr: %s", res.Stderr)
	assert.Equal(t, tc.wantStdout, res.Stdout, "stdout")
	assert.Equal(t, tc.wantStderr, res.Stderr, "stderr")
}

// TestDemo does what `make ch01` (scripts/ch01-demo.sh) does: start the server, make one call of
// each kind including a division by zero, and stop the server with SIGTERM, which must end it
// cleanly (exit 0, a "stopped" log line) rather than kill it.
func TestDemo(t *testing.T) {
	t.Parallel()
	server, client := build(t)
	proc, addr := startServer(t, server)

	for _, tc := range []run{
		{"add", []string{"-op", "add", "-a", "2", "-b", "3"}, 0, "2 + 3 = 5\n", ""},
		{"sub", []string{"-op", "sub", "-a", "2", "-b", "3"}, 0, "2 - 3 = -1\n", ""},
		{"mul", []string{"-op", "mul", "-a", "6", "-b", "7"}, 0, "6 * 7 = 42\n", ""},
		{"div", []string{"-op", "div", "-a", "7", "-b", "2"}, 0, "7 / 2 = 3\n", ""},
		{"div by zero", []string{"-op", "div", "-a", "7", "-b", "0"}, 1, "", "client: 7 / 0: division by zero\n"},
		{"overflow", []string{"-op", "mul", "-a", "9223372036854775807", "-b", "2"}, 1, "",
			"client: 9223372036854775807 * 2: integer overflow\n"},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.check(t, client, addr) })
	}

	proc.Signal(t, syscall.SIGTERM)
	res := proc.Wait(t)
	assert.Equal(t, 0, res.ExitCode, "stderr: %s", res.Stderr)
	// Usually 0, but the last client's connection may still be closing when SIGTERM arrives:
	// then the server drains it, which is the point.
	assert.Regexp(t, `level=INFO msg=draining connections=[01] `, res.Stderr)
	assert.Contains(t, res.Stderr, "level=INFO msg=stopped")
}

// TestCodecs runs the client against a server of each codec. Matching codecs work; mismatched
// ones are the chapter's "break it and see": a JSON request to a gob server reads as the start
// of a long gob frame, so the server waits for the rest and only the client's -timeout ends the
// call; a gob request to a JSON server is not JSON, so the server hangs up at once.
func TestCodecs(t *testing.T) {
	t.Parallel()
	server, client := build(t)
	_, gobAddr := startServer(t, server, "-codec", "gob")
	_, jsonAddr := startServer(t, server, "-codec", "json")

	tests := []struct {
		addr string
		run
	}{
		{gobAddr, run{"gob client, gob server", []string{"-codec", "gob"}, 0, "2 + 3 = 5\n", ""}},
		{jsonAddr, run{"json client, json server", []string{"-codec", "json"}, 0, "2 + 3 = 5\n", ""}},
		{gobAddr, run{"json client, gob server", []string{"-codec", "json", "-timeout", "300ms"}, 1, "",
			"client: 2 + 3: Calculator.Add: context deadline exceeded\n"}},
		{jsonAddr, run{"gob client, json server", []string{"-codec", "gob"}, 1, "",
			"client: 2 + 3: unexpected EOF\n"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.check(t, client, tc.addr) })
	}
}

// TestFlagErrors checks that a mistake on the command line is refused with a message that says
// what is wrong, and exit status 1, before anything is dialled or served. -h is not a mistake.
func TestFlagErrors(t *testing.T) {
	t.Parallel()
	server, client := build(t)
	tests := []struct {
		name       string
		bin        string
		args       []string
		wantCode   int
		wantStderr string
	}{
		{"client bad codec", client, []string{"-codec", "xml"}, 1, `client: unknown codec "xml": want "gob" or "json"`},
		{"client bad op", client, []string{"-op", "pow"}, 1, `client: unknown operation "pow": want add, sub, mul or div`},
		{"client operands without flags", client, []string{"-op", "add", "4", "5"}, 1,
			`client: unexpected arguments ["4" "5"]: operands are flags, e.g. -a 4 -b 5`},
		{"client unknown flag", client, []string{"-x"}, 1, "client: flag provided but not defined: -x"},
		{"client bad number", client, []string{"-a", "two"}, 1, `invalid value "two" for flag -a`},
		{"client nothing listening", client, []string{"-addr", proctest.FreeAddr(t)}, 1, "connect: connection refused"},
		{"client help", client, []string{"-h"}, 0, "Usage of client:"},
		{"server bad codec", server, []string{"-codec", "xml"}, 1, `server: unknown codec "xml": want "gob" or "json"`},
		{"server bad port", server, []string{"-addr", "127.0.0.1:99999"}, 1,
			"server: listen tcp: address 99999: invalid port"},
		{"server stray argument", server, []string{"now"}, 1, `server: unexpected arguments ["now"]`},
		{"server help", server, []string{"-h"}, 0, "Usage of server:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := proctest.Run(t, processTimeout, tc.bin, tc.args...)
			assert.Equal(t, tc.wantCode, res.ExitCode, "exit code; stderr: %s", res.Stderr)
			assert.Empty(t, res.Stdout)
			assert.Contains(t, res.Stderr, tc.wantStderr)
		})
	}
}

// TestServerRefusesBusyPort starts a second server on the first one's address: it must fail at
// once with the listen error instead of serving nothing.
func TestServerRefusesBusyPort(t *testing.T) {
	t.Parallel()
	server, _ := build(t)
	_, addr := startServer(t, server)
	res := proctest.Run(t, processTimeout, server, "-addr", addr)
	require.Equal(t, 1, res.ExitCode)
	assert.Contains(t, res.Stderr, "bind: address already in use")
}
