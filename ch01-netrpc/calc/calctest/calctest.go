// Package calctest runs chapter 1's calculator inside tests, as net/http/httptest does for HTTP
// handlers: a server on a free loopback port that stops when the test ends, a client that is
// closed with the test, and a context that bounds one call.
package calctest

import (
	"context"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
)

// Patience bounds every dial, call and shutdown a test makes, so a hang fails the test with a
// message instead of stalling it until go test's own timeout.
const Patience = 5 * time.Second

// Quiet keeps a server's log lines out of test output.
var Quiet = calc.WithLogger(slog.New(slog.DiscardHandler))

// Start serves srv on a free loopback port until the test ends, and returns its address.
func Start(t testing.TB, srv *calc.Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	Serve(t, srv, ln)
	return ln.Addr().String()
}

// Serve runs srv on ln until the test ends or stop is called. stop ends the server's context and
// returns what Serve returned (every call returns the same). When the test ends, Serve must have
// returned nil within Patience, unless the test called stop and judged the result itself.
func Serve(t testing.TB, srv *calc.Server, ln net.Listener) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()
	wait := sync.OnceValue(func() error {
		cancel()
		select {
		case err := <-served:
			return err
		case <-time.After(Patience):
			t.Errorf("Serve did not return within %v of its context ending", Patience)
			return nil
		}
	})
	var judged atomic.Bool
	t.Cleanup(func() {
		if err := wait(); !judged.Load() {
			assert.NoError(t, err, "Serve at the end of the test")
		}
	})
	return func() error {
		judged.Store(true)
		return wait()
	}
}

// Dial connects a Client speaking codec to addr and closes it when the test ends (before the
// server stops: cleanups run last in, first out).
func Dial(t testing.TB, addr string, codec calc.Codec) *calc.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), Patience)
	defer cancel()
	c, err := calc.Dial(ctx, addr, codec)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// CallCtx is the context for one call: the test's own, bounded by Patience.
func CallCtx(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), Patience)
	t.Cleanup(cancel)
	return ctx
}
