package calc_test

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
	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
)

// TestMain fails the package if any test leaves a goroutine behind: a server that does not
// stop, a connection nobody closes, a call that never returns.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// codecs are the two wire formats; most wire tests run once for each.
var codecs = []calc.Codec{calc.Gob, calc.JSON}

// quiet keeps the servers' logs out of the test output.
var quiet = calc.WithLogger(slog.New(slog.DiscardHandler))

// patience bounds every wait in these tests. Nothing should take close to it: it only turns a
// hang into a failure with a message.
const patience = 5 * time.Second

// testServer is a Server running on a loopback listener on a free port.
type testServer struct {
	Addr string
	// ln is the listener Serve accepts on, watched so a test can see the server stop accepting.
	ln   *watchedListener
	stop func() error
	// stopped records that the test stopped the server itself and checked the result; Stop may
	// run on another goroutine than the cleanup that reads it.
	stopped atomic.Bool
}

// startServer serves a Calculator on 127.0.0.1:0 until the test ends (or Stop), then checks that
// Serve shut down cleanly.
func startServer(t *testing.T, opts ...calc.Option) *testServer {
	t.Helper()
	srv, err := calc.NewServer(append([]calc.Option{quiet}, opts...)...)
	require.NoError(t, err)
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ln := &watchedListener{Listener: inner}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()
	s := &testServer{Addr: ln.Addr().String(), ln: ln}
	s.stop = sync.OnceValue(func() error {
		cancel()
		select {
		case err := <-served:
			return err
		case <-time.After(patience):
			t.Errorf("Serve did not return within %v of its context ending", patience)
			return nil
		}
	})
	t.Cleanup(func() {
		err := s.stop()
		if !s.stopped.Load() {
			assert.NoError(t, err, "Serve at the end of the test")
		}
	})
	return s
}

// Stop ends the server's context and returns what Serve returned.
func (s *testServer) Stop() error {
	s.stopped.Store(true)
	return s.stop()
}

// watchedListener is a net.Listener that records whether it was closed and how many Accept calls
// are waiting, so a test can see a server stop accepting through the server's own listener. Dialing
// the freed port would prove nothing: once the listener is closed, another process (another test
// package under go test ./...) may bind the same port and answer.
type watchedListener struct {
	net.Listener
	closed    atomic.Bool
	accepting atomic.Int32
}

// Accept counts itself as waiting until the wrapped Accept returns.
func (l *watchedListener) Accept() (net.Conn, error) {
	l.accepting.Add(1)
	defer l.accepting.Add(-1)
	return l.Listener.Accept()
}

// Close records the close and closes the wrapped listener.
func (l *watchedListener) Close() error {
	l.closed.Store(true)
	return l.Listener.Close()
}

// dial connects a Client speaking codec to addr and closes it when the test ends.
func dial(t *testing.T, addr string, codec calc.Codec) *calc.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), patience)
	defer cancel()
	c, err := calc.Dial(ctx, addr, codec)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// callCtx is the context for one call: the test's own, bounded by patience.
func callCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), patience)
	t.Cleanup(cancel)
	return ctx
}
