package check

import (
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch01-netrpc/calc/calctest"
)

// Server is a calc.Server on a free loopback port that a check can restart on the same port, as
// a redeployed service would be. It keeps a duplicate of the listening socket: stopping the old
// server closes its listener, but the socket stays open for the new one, so no other program can
// take the port in between (a free port comes from the same range as every outgoing
// connection's). This is also how servers hand over a socket for a restart without downtime.
type Server struct {
	// Addr is where the server listens, the same across restarts.
	Addr   string
	codec  calc.Codec
	socket *os.File
	stop   func() error
	// ln is the current server's listener, which keeps the connections it accepted.
	ln *watchedListener
	// held, while set, makes every Mul the server receives wait until the server is cut off.
	held *heldCalls
}

// heldCalls are Mul calls that wait inside the server: a check holds calls in flight on one
// connection, then cuts the server off under them, so that every one of them finds the
// connection broken at the same moment.
type heldCalls struct {
	arrived chan struct{}
	release chan struct{}
}

// calculator is the Calculator the check serves: its Mul waits while held is set.
type calculator struct {
	calc.Calculator
	held *heldCalls
}

func (c calculator) Mul(args *calc.Args, reply *calc.Reply) error {
	if c.held != nil {
		c.held.arrived <- struct{}{}
		<-c.held.release
	}
	return c.Calculator.Mul(args, reply)
}

// StartServer serves a Calculator on 127.0.0.1:0 until the test ends.
func StartServer(t *testing.T, codec calc.Codec) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	socket, err := ln.(*net.TCPListener).File()
	require.NoError(t, err)
	t.Cleanup(func() { socket.Close() })
	s := &Server{Addr: ln.Addr().String(), codec: codec, socket: socket}
	s.serve(t, ln)
	return s
}

// Restart stops the server, which ends every connection, and starts a new one on the same port.
func (s *Server) Restart(t *testing.T) {
	t.Helper()
	require.NoError(t, s.stop())
	ln, err := net.FileListener(s.socket)
	require.NoError(t, err)
	s.serve(t, ln)
}

// Stop stops the server for good: the port no longer accepts connections.
func (s *Server) Stop(t *testing.T) {
	t.Helper()
	require.NoError(t, s.stop())
	require.NoError(t, s.socket.Close())
}

// HoldMul restarts the server with one whose Mul calls wait inside it, until CutOffHeld.
func (s *Server) HoldMul(t *testing.T) {
	t.Helper()
	s.held = &heldCalls{arrived: make(chan struct{}, 100), release: make(chan struct{})}
	s.Restart(t)
}

// CutOffHeld waits until n Mul calls are held in the server, then stops it without waiting for
// them (every connection is closed with the calls in flight), lets the held handlers return, and
// starts a plain server on the same port.
func (s *Server) CutOffHeld(t *testing.T, n int) {
	t.Helper()
	for i := range n {
		select {
		case <-s.held.arrived:
		case <-time.After(calctest.Patience):
			t.Fatalf("only %d of %d calls reached the server", i, n)
		}
	}
	require.ErrorIs(t, s.stop(), calc.ErrShutdownTimeout, "the server stops with the calls in flight")
	close(s.held.release)
	s.held = nil
	ln, err := net.FileListener(s.socket)
	require.NoError(t, err)
	s.serve(t, ln)
}

// serve runs a new calc.Server on ln until stop is called or the test ends. Its shutdown grace is
// short: only CutOffHeld stops it with calls in flight.
func (s *Server) serve(t *testing.T, ln net.Listener) {
	t.Helper()
	srv, err := calc.NewServer(calc.WithCodec(s.codec), calctest.Quiet,
		calc.WithReceiver(calculator{held: s.held}), calc.WithShutdownTimeout(50*time.Millisecond))
	require.NoError(t, err)
	s.ln = &watchedListener{Listener: ln}
	s.stop = calctest.Serve(t, srv, s.ln)
}

// HangUp shuts the server's sending side of every connection it has, as a server going away does,
// but keeps reading: the client's next call finds its connection broken, and each returned
// channel is closed once the client has closed its end of that connection.
func (s *Server) HangUp(t *testing.T) []<-chan struct{} {
	t.Helper()
	s.ln.mu.Lock()
	defer s.ln.mu.Unlock()
	var closed []<-chan struct{}
	for _, c := range s.ln.conns {
		require.NoError(t, c.Conn.(*net.TCPConn).CloseWrite())
		closed = append(closed, c.closedByClient)
	}
	return closed
}

// Connections returns how many connections the current server has accepted.
func (s *Server) Connections() int {
	s.ln.mu.Lock()
	defer s.ln.mu.Unlock()
	return len(s.ln.conns)
}

// watchedListener keeps the connections it accepts, so HangUp can reach them.
type watchedListener struct {
	net.Listener
	mu    sync.Mutex
	conns []*watchedConn
}

func (l *watchedListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	w := &watchedConn{Conn: c, closedByClient: make(chan struct{})}
	l.mu.Lock()
	l.conns = append(l.conns, w)
	l.mu.Unlock()
	return w, nil
}

// watchedConn closes closedByClient when a read finds that the client closed its end.
type watchedConn struct {
	net.Conn
	once           sync.Once
	closedByClient chan struct{}
}

func (c *watchedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if errors.Is(err, io.EOF) {
		c.once.Do(func() { close(c.closedByClient) })
	}
	return n, err
}
