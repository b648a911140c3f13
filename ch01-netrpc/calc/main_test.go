package calc_test

import (
	"net"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch01-netrpc/calc/calctest"
)

// TestMain fails the package if any test leaves a goroutine behind: a server that does not
// stop, a connection nobody closes, a call that never returns.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// codecs are the two wire formats; most wire tests run once for each.
var codecs = []calc.Codec{calc.Gob, calc.JSON}

// testServer is a Server running on a loopback listener on a free port.
type testServer struct {
	Addr string
	// ln is the listener Serve accepts on, watched so a test can see the server stop accepting.
	ln *watchedListener
	// Stop ends the server's context and returns what Serve returned.
	Stop func() error
}

// startServer serves a Calculator on 127.0.0.1:0 until the test ends (or Stop), then checks that
// Serve shut down cleanly.
func startServer(t *testing.T, opts ...calc.Option) *testServer {
	t.Helper()
	srv, err := calc.NewServer(append([]calc.Option{calctest.Quiet}, opts...)...)
	require.NoError(t, err)
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ln := &watchedListener{Listener: inner}
	return &testServer{Addr: ln.Addr().String(), ln: ln, Stop: calctest.Serve(t, srv, ln)}
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
