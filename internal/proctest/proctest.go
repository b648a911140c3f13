// Package proctest runs the workbook's programs as real processes inside tests: it builds a main
// package into the test's temporary directory, starts it with a deadline, waits for lines of its
// output and reports how it exited. It is a thin testing layer over internal/launch, which runs
// the processes: failures fail the test, and no process outlives its test.
//
// Every demo a Makefile target runs is also a test. Building and running the real binary, rather
// than calling its run function, is what checks the parts a reader actually types: flag parsing,
// exit codes, signal handling and what lands on stdout and stderr.
package proctest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/internal/launch"
	"github.com/rpc-tracing/workbook/internal/stack"
)

// Build compiles the main package pkg (an import path such as
// "github.com/rpc-tracing/workbook/ch01-netrpc/cmd/server") into t.TempDir() and returns the
// binary's path. It uses the go command that runs the test (go test puts it first on PATH), so
// the binary comes from the same module and toolchain; the build cache makes rebuilds cheap.
func Build(t testing.TB, pkg string) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	require.NoError(t, err, "find the go command")
	bin := filepath.Join(t.TempDir(), path.Base(pkg))
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, goBin, "build", "-o", bin, pkg).CombinedOutput()
	require.NoError(t, err, "go build %s:\n%s", pkg, out)
	return bin
}

// Result is how a finished process ended.
type Result struct {
	// ExitCode is the process's exit status, or -1 if a signal ended it.
	ExitCode int
	// Stdout and Stderr are everything the process wrote.
	Stdout, Stderr string
}

// Run runs bin with args to completion and returns how it ended. A process that outlives
// timeout is killed and fails the test: a hung client is a bug, not a result.
func Run(t testing.TB, timeout time.Duration, bin string, args ...string) Result {
	t.Helper()
	return Start(t, timeout, bin, args...).Wait(t)
}

// Process is a program started by Start.
type Process struct {
	proc *launch.Proc
	path string
	ctx  context.Context // ends at the process's timeout, which kills it
}

// Start starts bin with args and returns at once. The process is killed if it outlives timeout,
// and at the end of the test if it is still running, so no test leaves a process behind.
func Start(t testing.TB, timeout time.Duration, bin string, args ...string) *Process {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	cmd := exec.CommandContext(ctx, bin, args...)
	// WaitDelay bounds how long Wait waits for output after a kill, should the program have
	// passed its stdout on to a child of its own.
	cmd.WaitDelay = time.Second
	proc, err := launch.StartCmd(bin, cmd, nil)
	if err != nil {
		cancel()
		require.NoError(t, err, "start %s", bin)
	}
	t.Cleanup(func() {
		cancel() // kills the process if it is still running
		<-proc.Done()
	})
	return &Process{proc: proc, path: bin, ctx: ctx}
}

// WaitForLine waits until the process writes a line to stderr that matches re, and returns the
// submatches (the whole line first, without its newline). Servers announce their address this
// way, so a test can start one on port 0 and learn which port it got. It fails the test if the
// process exits first or no such line appears within timeout.
func (p *Process) WaitForLine(t testing.TB, re *regexp.Regexp, timeout time.Duration) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	match, err := p.proc.WaitForStderr(ctx, re)
	switch {
	case errors.Is(err, launch.ErrExited):
		require.FailNow(t, fmt.Sprintf("%s exited before writing a line matching %q", p.path, re),
			"stderr:\n%s", p.proc.Stderr())
	case err != nil:
		require.FailNow(t, "no line on stderr matched in time",
			"pattern %q, waited %v; stderr so far:\n%s", re, timeout, p.proc.Stderr())
	}
	return match
}

// Signal sends sig to the process, for example syscall.SIGTERM to check a graceful stop.
func (p *Process) Signal(t testing.TB, sig os.Signal) {
	t.Helper()
	require.NoError(t, p.proc.Signal(sig), "signal %v", sig)
}

// Wait waits for the process to exit and returns how it ended. It fails the test if the process
// had to be killed because it outlived the timeout given to Start.
func (p *Process) Wait(t testing.TB) Result {
	t.Helper()
	<-p.proc.Done()
	code, waitErr := p.proc.Exit()
	res := Result{ExitCode: code, Stdout: p.proc.Stdout(), Stderr: p.proc.Stderr()}
	require.NoError(t, p.ctx.Err(), "%s outlived its timeout and was killed; stdout:\n%s\nstderr:\n%s",
		p.path, res.Stdout, res.Stderr)
	if exitErr := (*exec.ExitError)(nil); !errors.As(waitErr, &exitErr) {
		require.NoError(t, waitErr, "wait for %s", p.path)
	}
	return res
}

// FreeAddr returns a loopback address with a port that was free a moment ago, for a program or
// script that must be told its port in advance (one that takes 127.0.0.1:0 is better tested
// that way), or for a test of a refused connection: nothing listens there. The port is below the
// kernel's ephemeral range, so no outgoing connection takes it in the meantime.
func FreeAddr(t testing.TB) string {
	t.Helper()
	addrs, err := stack.FreeAddrs(1)
	require.NoError(t, err)
	return addrs[0]
}

// ScriptTimeout bounds a demo script's run, the builds it starts with included.
const ScriptTimeout = 3 * time.Minute

// RunScript runs a demo script with bash, its environment plus env ("NAME=value"), to
// completion within ScriptTimeout: how a Makefile target runs it, on the address the test chose.
func RunScript(t testing.TB, script string, env ...string) Result {
	t.Helper()
	return Run(t, ScriptTimeout, "env", append(env, "bash", script)...)
}

// AssertFree checks that nothing listens on addr any more: a script or program that said it
// stopped its server really did.
func AssertFree(t testing.TB, addr string) {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if assert.NoError(t, err, "%s is still taken: a server was left running", addr) {
		assert.NoError(t, l.Close())
	}
}

// RunScriptOnATakenPort runs a demo script with addrVar ("CH01_ADDR") naming a port this test
// holds, so the script's server cannot start there; it returns what the script did and the
// address, for the test to check that the script says so and makes no call.
func RunScriptOnATakenPort(t testing.TB, script, addrVar string) (Result, string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	addr := l.Addr().String()
	return RunScript(t, script, addrVar+"="+addr), addr
}
