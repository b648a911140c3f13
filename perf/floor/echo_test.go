package floor_test

import (
	"bytes"
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/perf/floor"
)

// dial starts an echo server on a loopback port and connects to it; both end with the test.
func dial(tb testing.TB) net.Conn {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(tb, err)
	served := make(chan error, 1)
	go func() { served <- floor.Serve(ln) }()
	conn, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(tb, err)
	tb.Cleanup(func() {
		require.NoError(tb, conn.Close())
		require.NoError(tb, ln.Close())
		require.NoError(tb, <-served)
	})
	return conn
}

func TestRoundTripEchoesTheMessage(t *testing.T) {
	conn := dial(t)
	for i := range 3 {
		msg := bytes.Repeat([]byte{byte('a' + i)}, floor.PayloadSize)
		reply := make([]byte, floor.PayloadSize)
		require.NoError(t, floor.RoundTrip(conn, msg, reply))
		assert.Equal(t, msg, reply)
	}
}

func TestServeReturnsNilOnceClosed(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	require.NoError(t, ln.Close())
	assert.NoError(t, floor.Serve(ln))
}

// BenchmarkTCPEcho is the floor: one PayloadSize round trip over loopback TCP, no RPC framework.
func BenchmarkTCPEcho(b *testing.B) {
	conn := dial(b)
	msg := make([]byte, floor.PayloadSize)
	reply := make([]byte, floor.PayloadSize)
	b.ReportAllocs()
	for b.Loop() {
		if err := floor.RoundTrip(conn, msg, reply); err != nil {
			b.Fatal(err)
		}
	}
}
