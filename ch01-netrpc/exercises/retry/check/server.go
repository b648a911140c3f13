package check

import (
	"net"
	"os"
	"testing"

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

// serve runs a new calc.Server on ln until stop is called or the test ends.
func (s *Server) serve(t *testing.T, ln net.Listener) {
	t.Helper()
	srv, err := calc.NewServer(calc.WithCodec(s.codec), calctest.Quiet)
	require.NoError(t, err)
	s.stop = calctest.Serve(t, srv, ln)
}
