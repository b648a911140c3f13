// Package ch03grpc_test checks chapter 3 the way a reader meets it: the programs `make ch03`
// runs, built and started as real processes on loopback ports, their output and the waterfall
// drawn from both sides' span files; and the chapter's doc against the code it quotes. The code
// itself is tested beside it, in calcgrpc, tour and the solutions.
package ch03grpc_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/internal/proctest"
)

const (
	serverPkg    = "github.com/rpc-tracing/workbook/ch03-grpc/cmd/server"
	clientPkg    = "github.com/rpc-tracing/workbook/ch03-grpc/cmd/client"
	waterfallPkg = "github.com/rpc-tracing/workbook/ch03-grpc/internal/cmd/waterfall"
	// processTimeout bounds every program run; each takes well under a second, but the machine
	// may be busy.
	processTimeout = time.Minute
)

// programs are the chapter's three binaries, built for one test.
type programs struct{ server, client, waterfall string }

func build(t *testing.T) programs {
	t.Helper()
	return programs{
		server:    proctest.Build(t, serverPkg),
		client:    proctest.Build(t, clientPkg),
		waterfall: proctest.Build(t, waterfallPkg),
	}
}

// serving matches the server's "serving" log line and captures the address it really listens
// on, which is how a test learns the port when the server was given 127.0.0.1:0.
var serving = regexp.MustCompile(`level=INFO msg=serving addr=(\S+)$`)

// startServer starts the server on a free loopback port, writing its spans to spansPath.
func startServer(t *testing.T, server, spansPath string) (*proctest.Process, string) {
	t.Helper()
	proc := proctest.Start(t, processTimeout, server, "-addr", "127.0.0.1:0", "-spans", spansPath)
	return proc, proc.WaitForLine(t, serving, processTimeout)[1]
}

// stopServer sends SIGTERM and checks the graceful stop: exit 0 after draining. It returns the
// server's log.
func stopServer(t *testing.T, proc *proctest.Process) string {
	t.Helper()
	proc.Signal(t, syscall.SIGTERM)
	res := proc.Wait(t)
	assert.Equal(t, 0, res.ExitCode, "stderr: %s", res.Stderr)
	assert.Contains(t, res.Stderr, "level=INFO msg=draining timeout=5s")
	assert.Contains(t, res.Stderr, "level=INFO msg=stopped")
	return res.Stderr
}

// tourArgs are the client's flags in `make ch03` (scripts/ch03-demo.sh).
var tourArgs = []string{"-timeout", "500ms", "-slow", "2s"}

// tourStep is one line of the client's tour: what it prints and the gRPC method it calls.
type tourStep struct{ name, text, method string }

var tour = []tourStep{
	{"add", "2 + 3 = 5", "Add"},
	{"sub", "2 - 3 = -1", "Sub"},
	{"mul", "6 * 7 = 42", "Mul"},
	{"div", "7 / 2 = 3", "Div"},
	{"div by zero", "7 / 0: InvalidArgument: b: must not be zero: division by zero [b]", "Div"},
	{"deadline", "1 + 2, answer in 2s, deadline 500ms: DeadlineExceeded", "Add"},
	{"fibonacci", "fibonacci(10) = [0 1 1 2 3 5 8 13 21 34]", "Fibonacci"},
	{"sum", "sum(1..5) = 15", "Sum"},
	{"running total", "running total of [5 -2 10] = [5 3 13]", "RunningTotal"},
}

var tourLine = regexp.MustCompile(`^trace ([0-9a-f]{32})  (.+)$`)

// runTour runs the client's tour against addr and returns the trace ID it printed for each
// step, after checking every line's text.
func runTour(t *testing.T, client, addr, spansPath string, extra ...string) []string {
	t.Helper()
	args := append([]string{"-addr", addr, "-spans", spansPath}, tourArgs...)
	res := proctest.Run(t, processTimeout, client, append(args, extra...)...)
	require.Equal(t, 0, res.ExitCode, "stderr: %s", res.Stderr)
	assert.Empty(t, res.Stderr)
	lines := strings.Split(strings.TrimSuffix(res.Stdout, "\n"), "\n")
	require.Len(t, lines, len(tour), "one line per step:\n%s", res.Stdout)
	ids := make([]string, len(tour))
	for i, line := range lines {
		m := tourLine.FindStringSubmatch(line)
		require.NotNil(t, m, "line %d: %q", i+1, line)
		assert.Equal(t, tour[i].text, m[2], "step %q", tour[i].name)
		ids[i] = m[1]
	}
	assert.Len(t, distinct(ids), len(tour), "each step is a trace of its own")
	return ids
}

// TestDemo does what `make ch03` does: start the server, take the client's tour, check health,
// stop the server with SIGTERM, and draw the traces from both processes' span files. Each of
// the nine steps must come out as one trace of three spans (the tour's step, the CLIENT span
// and the SERVER span, each the parent of the next), with the errors where the doc says.
func TestDemo(t *testing.T) {
	t.Parallel()
	bin := build(t)
	dir := t.TempDir()
	clientSpans, serverSpans := filepath.Join(dir, "client.json"), filepath.Join(dir, "server.json")
	proc, addr := startServer(t, bin.server, serverSpans)

	ids := runTour(t, bin.client, addr, clientSpans)

	healthSpans := filepath.Join(dir, "health.json")
	res := proctest.Run(t, processTimeout, bin.client, "-addr", addr, "-health", "-spans", healthSpans)
	assert.Equal(t, 0, res.ExitCode, "stderr: %s", res.Stderr)
	assert.Equal(t, "health of calculator.v1.CalculatorService: SERVING\n", res.Stdout)
	assert.Empty(t, readFile(t, healthSpans), "a health check makes no client span")

	log := stopServer(t, proc)
	calls := callLines(log)
	assert.Len(t, calls, len(tour), "one log line per call, none for the health check:\n%s", log)
	assert.Equal(t, distinct(ids), distinct(calls.traceIDs()), "each log line names its call's trace")

	res = proctest.Run(t, processTimeout, bin.waterfall, clientSpans, serverSpans)
	require.Equal(t, 0, res.ExitCode, "stderr: %s", res.Stderr)
	traces := parseWaterfall(t, res.Stdout)
	require.Len(t, traces, len(tour), res.Stdout)
	for i, step := range tour {
		tr, ok := traces[ids[i]]
		require.True(t, ok, "no trace %s for step %q:\n%s", ids[i], step.name, res.Stdout)
		method := "calculator.v1.CalculatorService/" + step.method
		require.Equal(t, []spanRow{
			{depth: 0, name: "tour " + step.name, service: "calc-grpc-client", kind: "internal"},
			{depth: 1, name: method, service: "calc-grpc-client", kind: "client", err: tr.rows[1].err},
			{depth: 2, name: method, service: "calc-grpc-server", kind: "server", err: tr.rows[2].err},
		}, tr.rows, "step %q", step.name)

		clientErr, serverErr := tr.rows[1].err, tr.rows[2].err
		switch step.name {
		case "div by zero":
			// The caller's mistake: an error for the client, not a fault of the server.
			assert.Equal(t, "ERROR b: must not be zero: division by zero", clientErr)
			assert.Empty(t, serverErr)
		case "deadline":
			// Both sides hold the deadline, each with its own timer, and whichever fires first
			// ends the call: a race, so each side's span says how its own side ended. The
			// client's status is DEADLINE_EXCEEDED every time (the tour checked); its message
			// is its own timer's, the server's RST_STREAM's, or the status the server's
			// handler returned.
			assert.Contains(t, []string{
				"ERROR context deadline exceeded",
				"ERROR stream terminated by RST_STREAM with error code: CANCEL",
				"ERROR waiting 2s: context deadline exceeded",
			}, clientErr)
			// The handler's context ended DEADLINE_EXCEEDED (a server-side error) or CANCELLED
			// (not one); the server's log line says which, and the span must agree.
			switch code := calls.codeOf(ids[i]); code {
			case "DeadlineExceeded":
				assert.Equal(t, "ERROR waiting 2s: context deadline exceeded", serverErr)
			case "Canceled":
				assert.Empty(t, serverErr)
			default:
				assert.Fail(t, "the server's context ended neither way", "code %s", code)
			}
		default:
			assert.Empty(t, clientErr)
			assert.Empty(t, serverErr)
		}
	}
}

// TestBreakItWithoutTheClientHandler is the chapter's "break it and see": a client without
// otelgrpc's stats handler sends no trace context, so the server starts a trace of its own for
// every call. The tour's nine traces become eighteen one-span traces, and the trace ID the
// client prints is not the one in the server's log. The calls themselves still succeed, and the
// deadline still reaches the server: that is gRPC's doing, not the instrumentation's.
func TestBreakItWithoutTheClientHandler(t *testing.T) {
	t.Parallel()
	bin := build(t)
	dir := t.TempDir()
	clientSpans, serverSpans := filepath.Join(dir, "client.json"), filepath.Join(dir, "server.json")
	proc, addr := startServer(t, bin.server, serverSpans)
	ids := runTour(t, bin.client, addr, clientSpans, "-no-client-handler")
	calls := callLines(stopServer(t, proc))
	require.Len(t, calls, len(tour))
	for _, id := range calls.traceIDs() {
		assert.NotContains(t, ids, id, "the server's trace is not the client's")
	}

	res := proctest.Run(t, processTimeout, bin.waterfall, clientSpans, serverSpans)
	require.Equal(t, 0, res.ExitCode, "stderr: %s", res.Stderr)
	traces := parseWaterfall(t, res.Stdout)
	require.Len(t, traces, 2*len(tour), res.Stdout)
	var clientRoots, serverRoots []string
	for id, tr := range traces {
		require.Len(t, tr.rows, 1, "trace %s", id)
		assert.Zero(t, tr.rows[0].depth)
		switch tr.rows[0].service {
		case "calc-grpc-client":
			assert.Equal(t, "internal", tr.rows[0].kind, "only the tour's own span: no CLIENT span")
			clientRoots = append(clientRoots, id)
		case "calc-grpc-server":
			assert.Equal(t, "server", tr.rows[0].kind)
			serverRoots = append(serverRoots, id)
		}
	}
	assert.ElementsMatch(t, ids, clientRoots)
	assert.ElementsMatch(t, calls.traceIDs(), serverRoots, "the server's log names its own roots")
}

// TestFlagErrors checks that a mistake on the command line is refused with a message that says
// what is wrong, and exit status 1, before anything is dialled or served. -h is not a mistake.
func TestFlagErrors(t *testing.T) {
	t.Parallel()
	bin := build(t)
	garbage := filepath.Join(t.TempDir(), "garbage.json")
	require.NoError(t, os.WriteFile(garbage, []byte("not json\n"), 0o600))
	tests := []struct {
		name       string
		bin        string
		args       []string
		wantCode   int
		wantStderr string
	}{
		{"client bad timeout", bin.client, []string{"-timeout", "soon"}, 1, `client: invalid value "soon" for flag -timeout`},
		{"client zero timeout", bin.client, []string{"-timeout", "0"}, 1, "client: -timeout 0s: want a positive duration"},
		{"client slow not slow", bin.client, []string{"-timeout", "1s", "-slow", "500ms"}, 1,
			"client: -slow 500ms: want more than -timeout (1s), or the deadline step cannot miss its deadline"},
		{"client slow too slow", bin.client, []string{"-slow", "1m"}, 1, "client: -slow 1m0s: the server waits at most 10s"},
		{"client stray argument", bin.client, []string{"add", "2", "3"}, 1,
			`client: unexpected arguments ["add" "2" "3"]: everything is set with flags`},
		{"client nothing listening", bin.client, []string{"-addr", proctest.FreeAddr(t), "-spans", os.DevNull}, 1, "connect: connection refused"},
		{"client help", bin.client, []string{"-h"}, 0, "Usage of client:"},
		{"server stray argument", bin.server, []string{"now"}, 1, `server: unexpected arguments ["now"]`},
		{"server negative delay", bin.server, []string{"-delay", "-1s"}, 1, "server: -delay -1s: want zero or more"},
		{"server zero shutdown timeout", bin.server, []string{"-shutdown-timeout", "0"}, 1,
			"server: -shutdown-timeout 0s: want a positive duration"},
		{"server bad port", bin.server, []string{"-addr", "127.0.0.1:99999", "-spans", os.DevNull}, 1,
			"server: listen tcp: address 99999: invalid port"},
		{"server help", bin.server, []string{"-h"}, 0, "Usage of server:"},
		{"waterfall no files", bin.waterfall, nil, 1, "waterfall: usage: waterfall SPANS.json"},
		{"waterfall missing file", bin.waterfall, []string{"nope.json"}, 1, "waterfall: open nope.json: no such file or directory"},
		{"waterfall not spans", bin.waterfall, []string{garbage}, 1, "garbage.json: read stdouttrace span 1"},
		{"waterfall help", bin.waterfall, []string{"-h"}, 0, "usage: waterfall SPANS.json"},
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
	bin := build(t)
	dir := t.TempDir()
	proc, addr := startServer(t, bin.server, filepath.Join(dir, "first.json"))
	res := proctest.Run(t, processTimeout, bin.server, "-addr", addr, "-spans", filepath.Join(dir, "second.json"))
	assert.Equal(t, 1, res.ExitCode)
	assert.Contains(t, res.Stderr, "bind: address already in use")
	stopServer(t, proc)
}
