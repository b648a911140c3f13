package proctest

import (
	"fmt"
	"os"
	"os/signal"
	"regexp"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// helperEnv makes the test binary act as the program under test instead of running tests: a
// process whose behaviour each test chooses, without building anything.
const helperEnv = "PROCTEST_HELPER"

// TestMain runs the helper program when asked to, and the tests with a goroutine-leak check
// otherwise.
func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		os.Exit(helper(mode, os.Args[1:]))
	}
	goleak.VerifyTestMain(m)
}

// helper is the program the tests run. "exit N" prints its arguments and exits with N; "serve"
// announces an address on stderr and stops on SIGTERM; "hang" never ends; "quit" exits at once
// without announcing anything.
func helper(mode string, args []string) int {
	switch mode {
	case "exit":
		code, _ := strconv.Atoi(os.Getenv("PROCTEST_EXIT"))
		fmt.Println("args:", args)
		fmt.Fprintln(os.Stderr, "to stderr")
		return code
	case "serve":
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, syscall.SIGTERM)
		fmt.Fprintln(os.Stderr, "starting")
		fmt.Fprintln(os.Stderr, "ready addr=127.0.0.1:4321 mode=test")
		<-stop
		fmt.Println("stopped")
		return 0
	case "hang":
		select {}
	default:
		return 3
	}
}

// asHelper makes processes started by this test run helper in the given mode. Under -race the
// helper is a race-enabled binary, which by default waits a second before a clean exit; the
// tests have no use for that second.
func asHelper(t *testing.T, mode string) {
	t.Setenv(helperEnv, mode)
	t.Setenv("GORACE", "atexit_sleep_ms=0")
}

// TestRun checks the exit code and both outputs of a finished process.
func TestRun(t *testing.T) {
	for _, code := range []int{0, 1, 7} {
		t.Run(strconv.Itoa(code), func(t *testing.T) {
			asHelper(t, "exit")
			t.Setenv("PROCTEST_EXIT", strconv.Itoa(code))
			res := Run(t, 10*time.Second, os.Args[0], "a", "b")
			assert.Equal(t, Result{ExitCode: code, Stdout: "args: [a b]\n", Stderr: "to stderr\n"}, res)
		})
	}
}

// TestWaitForLineThenSignal is the server pattern: wait for the line that carries the address,
// stop the process with SIGTERM, and see it exit cleanly.
func TestWaitForLineThenSignal(t *testing.T) {
	asHelper(t, "serve")
	p := Start(t, 10*time.Second, os.Args[0])
	m := p.WaitForLine(t, regexp.MustCompile(`ready addr=(\S+)`), 10*time.Second)
	assert.Equal(t, []string{"ready addr=127.0.0.1:4321 mode=test", "127.0.0.1:4321"}, m)

	p.Signal(t, syscall.SIGTERM)
	res := p.Wait(t)
	assert.Equal(t, 0, res.ExitCode)
	assert.Equal(t, "stopped\n", res.Stdout)
}

// TestFailures checks that each way a process can let a test down fails the test with a message
// saying what happened, instead of hanging or passing.
func TestFailures(t *testing.T) {
	tests := []struct {
		name, mode, wantMsg string
		fn                  func(t testing.TB)
	}{
		{"exits before the line", "quit", "exited before writing a line matching", func(t testing.TB) {
			Start(t, 10*time.Second, os.Args[0]).WaitForLine(t, regexp.MustCompile("ready"), 10*time.Second)
		}},
		{"line never comes", "hang", "no line on stderr matched in time", func(t testing.TB) {
			Start(t, 10*time.Second, os.Args[0]).WaitForLine(t, regexp.MustCompile("ready"), 50*time.Millisecond)
		}},
		{"outlives its timeout", "hang", "outlived its timeout and was killed", func(t testing.TB) {
			Run(t, 50*time.Millisecond, os.Args[0])
		}},
		{"cannot start", "", "start /nonexistent/program", func(t testing.TB) {
			Run(t, 10*time.Second, "/nonexistent/program")
		}},
		{"cannot build", "", "go build github.com/rpc-tracing/workbook/internal/nonexistent", func(t testing.TB) {
			Build(t, "github.com/rpc-tracing/workbook/internal/nonexistent")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			asHelper(t, tc.mode)
			rec := &recordingTB{TB: t}
			rec.run(tc.fn)
			assert.True(t, rec.failed, "the test should have failed")
			assert.Contains(t, rec.messages, tc.wantMsg)
		})
	}
}

// TestCleanupEndsProcess starts a process that never ends and does not wait for it: the end of
// the (sub)test must kill it and reap it, so no process outlives its test.
func TestCleanupEndsProcess(t *testing.T) {
	asHelper(t, "hang")
	var p *Process
	t.Run("starts and forgets", func(t *testing.T) {
		p = Start(t, time.Minute, os.Args[0])
	})
	select {
	case <-p.proc.Done():
	default:
		require.FailNow(t, "the process outlived the test that started it")
	}
	code, _ := p.proc.Exit()
	assert.Equal(t, -1, code, "ended by a signal")
}

// TestBuild builds a small program from testdata and runs it.
func TestBuild(t *testing.T) {
	bin := Build(t, "github.com/rpc-tracing/workbook/internal/proctest/testdata/hello")
	res := Run(t, 10*time.Second, bin, "reader")
	assert.Equal(t, Result{Stdout: "hello, reader\n"}, res)
}

// recordingTB is a testing.TB whose failures are recorded instead of failing the real test, so
// a test can check that proctest fails when it should.
type recordingTB struct {
	testing.TB
	mu       sync.Mutex
	failed   bool
	messages string
}

func (r *recordingTB) Helper() {}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failed = true
	r.messages += fmt.Sprintf(format, args...)
}

// FailNow stops the goroutine run started, as testing.T.FailNow stops a test's.
func (r *recordingTB) FailNow() {
	r.mu.Lock()
	r.failed = true
	r.mu.Unlock()
	runtime.Goexit()
}

// run calls fn on its own goroutine, so FailNow can end it, and waits for it.
func (r *recordingTB) run(fn func(t testing.TB)) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(r)
	}()
	<-done
}
