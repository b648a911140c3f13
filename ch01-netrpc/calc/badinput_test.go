package calc_test

import (
	"bytes"
	"io"
	"math/rand/v2"
	"net"
	"net/rpc"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch01-netrpc/calc/calctest"
)

// TestGarbageClosesOnlyItsConnection sends bytes that are not a valid request. The server must
// close that one connection, keep serving a client that was already connected, and serve the
// next client that dials. It answers only when it could read a request's header (the method
// name and sequence number): then it sends an error for that call before closing.
//
// Each garbage connection is half-closed after its bytes: a gob frame starts with its length,
// and random bytes may announce a frame longer than what follows, so the server would rightly
// wait for the rest. Half-closing says there is no rest; the truncated frame relies on it.
func TestGarbageClosesOnlyItsConnection(t *testing.T) {
	frame := gobRequestFrame(t)
	tests := []struct {
		codec calc.Codec
		name  string
		send  []byte
		// wantAnswer is text the error reply must contain, or "" when no reply is due.
		wantAnswer string
	}{
		{calc.Gob, "random 64 bytes", randomBytes(1, 64), ""},
		{calc.Gob, "random 4 KiB", randomBytes(2, 4096), ""},
		{calc.Gob, "truncated gob frame", frame[:len(frame)/2], ""},
		{calc.Gob, "gob frame without its last byte", frame[:len(frame)-1], "unexpected EOF"},
		{calc.Gob, "JSON request", []byte(`{"method":"Calculator.Add","params":[{"A":2,"B":3}],"id":0}`), ""},
		{calc.JSON, "random 64 bytes", randomBytes(3, 64), ""},
		{calc.JSON, "truncated JSON request", []byte(`{"method":"Calculator.Add","params":[{"A":2`), ""},
		{calc.JSON, "gob frame", frame, ""},
	}
	for _, tc := range tests {
		t.Run(tc.codec.String()+"/"+tc.name, func(t *testing.T) {
			srv := startServer(t, calc.WithCodec(tc.codec))
			bystander := calctest.Dial(t, srv.Addr, tc.codec)
			assertServes(t, bystander)

			got := sendGarbage(t, srv.Addr, tc.send)
			if tc.wantAnswer == "" {
				assert.Empty(t, got, "the server should close without answering")
			} else {
				assert.Contains(t, string(got), tc.wantAnswer)
			}

			assertServes(t, bystander)
			assertServes(t, calctest.Dial(t, srv.Addr, tc.codec))
		})
	}
}

// sendGarbage writes data on a new connection, half-closes it, and returns whatever the server
// sent before closing its side. It fails the test if the server keeps the connection open.
func sendGarbage(t *testing.T, addr string, data []byte) []byte {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.Write(data)
	require.NoError(t, err)
	require.NoError(t, conn.(*net.TCPConn).CloseWrite())
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(calctest.Patience)))
	got, err := io.ReadAll(conn)
	require.NoError(t, err, "the server did not close the connection")
	return got
}

// randomBytes returns n bytes from a fixed seed, so a failure can be replayed.
func randomBytes(seed uint64, n int) []byte {
	rng := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

// gobRequestFrame returns the exact bytes a net/rpc client writes for Calculator.Add(2, 3): the
// type descriptions, the request header and the arguments.
func gobRequestFrame(t *testing.T) []byte {
	t.Helper()
	conn := &recordingConn{closed: make(chan struct{})}
	client := rpc.NewClient(conn)
	call := client.Go("Calculator.Add", &calc.Args{A: 2, B: 3}, new(calc.Reply), make(chan *rpc.Call, 1))
	require.NoError(t, client.Close())
	<-call.Done // the client fails the pending call on Close
	frame := conn.written.Bytes()
	require.Greater(t, len(frame), 10, "the request was written")
	return frame
}

// recordingConn keeps what a client writes and gives it nothing to read until Close.
type recordingConn struct {
	written   bytes.Buffer // written only by the goroutine that calls client.Go
	closed    chan struct{}
	closeOnce sync.Once
}

func (c *recordingConn) Write(p []byte) (int, error) { return c.written.Write(p) }

func (c *recordingConn) Read([]byte) (int, error) {
	<-c.closed
	return 0, io.EOF
}

func (c *recordingConn) Close() error {
	c.closeOnce.Do(func() { close(c.closed) })
	return nil
}
