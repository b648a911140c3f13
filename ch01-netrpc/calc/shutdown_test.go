package calc_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch01-netrpc/calc/calctest"
)

// gatedCalculator is a Calculator whose Add waits until the test opens the gate, so a test can
// hold a call in flight for as long as it needs. It is registered with calc.WithReceiver.
type gatedCalculator struct {
	calc.Calculator
	entered chan struct{} // receives once for every Add that has started
	gate    chan struct{} // closed by open to let every Add finish
	once    *sync.Once
}

func newGatedCalculator() gatedCalculator {
	return gatedCalculator{entered: make(chan struct{}, 100), gate: make(chan struct{}), once: new(sync.Once)}
}

// Add signals that it started, waits for the gate, then adds.
func (g gatedCalculator) Add(args *calc.Args, reply *calc.Reply) error {
	g.entered <- struct{}{}
	<-g.gate
	return g.Calculator.Add(args, reply)
}

// open lets every waiting and future Add finish. It may be called more than once.
func (g gatedCalculator) open() { g.once.Do(func() { close(g.gate) }) }

// waitEntered waits until an Add is running on the server.
func (g gatedCalculator) waitEntered(t *testing.T) {
	t.Helper()
	select {
	case <-g.entered:
	case <-time.After(calctest.Patience):
		require.FailNow(t, "the call never reached the server")
	}
}

// result is what a call made in the background returned.
type result struct {
	value int
	err   error
}

// addInBackground starts client.Add(4, 5) and returns where its result will arrive.
func addInBackground(client *calc.Client) <-chan result {
	out := make(chan result, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), calctest.Patience)
		defer cancel()
		v, err := client.Add(ctx, 4, 5)
		out <- result{v, err}
	}()
	return out
}

// TestShutdownWaitsForInFlightCall stops a server while a call is running. Serve must stop
// accepting at once, keep waiting while the call runs, deliver its reply, and only then return
// nil.
func TestShutdownWaitsForInFlightCall(t *testing.T) {
	gated := newGatedCalculator()
	defer gated.open()
	logs := make(chan string, 10)
	srv := startServer(t, calc.WithReceiver(gated), calc.WithLogger(slog.New(messages(logs))))
	call := addInBackground(calctest.Dial(t, srv.Addr, calc.Gob))
	gated.waitEntered(t)

	served := make(chan error, 1)
	go func() { served <- srv.Stop() }()
	waitForMessage(t, logs, "draining")

	select {
	case err := <-served:
		require.FailNow(t, "Serve returned while a call was in flight", "returned %v", err)
	default:
	}
	// A draining server accepts no new connections: it has closed its listener, it no longer waits
	// in Accept, and the listener could not accept a connection if asked to.
	assert.True(t, srv.ln.closed.Load(), "a draining server has closed its listener")
	assert.Zero(t, srv.ln.accepting.Load(), "a draining server no longer waits for connections")
	_, err := srv.ln.Listener.Accept()
	assert.ErrorIs(t, err, net.ErrClosed, "a draining server's listener accepts no new connections")

	gated.open()
	got := <-call
	require.NoError(t, got.err)
	assert.Equal(t, 9, got.value)
	assert.NoError(t, <-served)
}

// TestShutdownTimeout stops a server whose call never finishes. Serve must give up after the
// shutdown timeout, close the connection under the call and return ErrShutdownTimeout; the
// caller sees its connection break.
func TestShutdownTimeout(t *testing.T) {
	gated := newGatedCalculator()
	defer gated.open() // lets the abandoned method's goroutine end, for goleak
	srv := startServer(t, calc.WithReceiver(gated), calc.WithShutdownTimeout(50*time.Millisecond))
	call := addInBackground(calctest.Dial(t, srv.Addr, calc.Gob))
	gated.waitEntered(t)

	assert.ErrorIs(t, srv.Stop(), calc.ErrShutdownTimeout)
	got := <-call
	assert.ErrorIs(t, got.err, io.ErrUnexpectedEOF)
}

// TestServeResult checks what Serve returns when it is not a graceful stop: a listener closed
// under it is an error (and names Accept), a context that ended before Serve started is not.
func TestServeResult(t *testing.T) {
	tests := []struct {
		name    string
		stop    func(cancel context.CancelFunc, ln net.Listener)
		wantErr error
	}{
		{"listener closed", func(_ context.CancelFunc, ln net.Listener) { ln.Close() }, net.ErrClosed},
		{"context ended first", func(cancel context.CancelFunc, _ net.Listener) { cancel() }, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, err := calc.NewServer(calctest.Quiet)
			require.NoError(t, err)
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			require.NoError(t, err)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			tc.stop(cancel, ln)
			err = srv.Serve(ctx, ln)
			if tc.wantErr == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tc.wantErr)
			assert.ErrorContains(t, err, "accept")
		})
	}
}

// TestNewServerRejects checks the mistakes NewServer catches before anything is served.
func TestNewServerRejects(t *testing.T) {
	tests := []struct {
		name    string
		opt     calc.Option
		wantErr string
	}{
		{"unknown codec", calc.WithCodec("xml"), `unknown codec "xml": want "gob" or "json"`},
		{"receiver without RPC methods", calc.WithReceiver(struct{}{}),
			"register Calculator: rpc.Register: type Calculator has no exported methods of suitable type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := calc.NewServer(calctest.Quiet, tc.opt)
			assert.EqualError(t, err, tc.wantErr)
		})
	}
}

// messages is a slog.Handler that hands the message of every Info-or-higher record to the
// test, so it can wait for the server to say "draining" instead of guessing with a sleep.
type messages chan string

func (m messages) Enabled(_ context.Context, l slog.Level) bool  { return l >= slog.LevelInfo }
func (m messages) Handle(_ context.Context, r slog.Record) error { m <- r.Message; return nil }
func (m messages) WithAttrs([]slog.Attr) slog.Handler            { return m }
func (m messages) WithGroup(string) slog.Handler                 { return m }

// waitForMessage waits until the server logs want.
func waitForMessage(t *testing.T, logs <-chan string, want string) {
	t.Helper()
	timeout := time.After(calctest.Patience)
	for {
		select {
		case msg := <-logs:
			if msg == want {
				return
			}
		case <-timeout:
			require.FailNow(t, "the server never logged "+want)
		}
	}
}
