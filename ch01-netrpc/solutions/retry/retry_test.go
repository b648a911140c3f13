package retry_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/rpc"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch01-netrpc/solutions/retry"
)

// TestMain fails the package if a test leaves a goroutine behind, such as an old connection's
// reader that nobody closed after a redial.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var codecs = []calc.Codec{calc.Gob, calc.JSON}

// TestRedialAfterServerRestart restarts the server between two calls. A plain calc.Client, the
// control, fails the second call with a broken connection; the retry.Client redials once and
// gets the answer.
func TestRedialAfterServerRestart(t *testing.T) {
	for _, codec := range codecs {
		t.Run(codec.String(), func(t *testing.T) {
			srv := startServer(t, codec)
			addr := srv.addr
			client := dialRetry(t, addr, codec)
			plain := dialPlain(t, addr, codec)
			assertAdds(t, client)
			_, err := plain.Add(callCtx(t), 2, 3)
			require.NoError(t, err)

			srv.Restart(t)

			_, err = plain.Add(callCtx(t), 2, 3)
			assert.True(t, retry.Broken(err), "the plain client's connection should be broken, got %v", err)
			assertAdds(t, client)
			assert.Equal(t, 1, client.Redials())
			assertAdds(t, client)
			assert.Equal(t, 1, client.Redials(), "the new connection is kept")
		})
	}
}

// TestConcurrentCallsShareOneRedial has many calls find the connection broken at once. They
// must all succeed, on one new connection between them.
func TestConcurrentCallsShareOneRedial(t *testing.T) {
	srv := startServer(t, calc.Gob)
	client := dialRetry(t, srv.addr, calc.Gob)
	assertAdds(t, client)
	srv.Restart(t)

	ctx := callCtx(t)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			got, err := client.Do(ctx, calc.OpMul, 6, 7)
			if assert.NoError(t, err) {
				assert.Equal(t, 42, got)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, 1, client.Redials())
}

// TestNoRetry checks the cases that must not end in a new connection: a remote error is an
// answer, a context that ended is the caller giving up, a closed client stays closed, and a
// server that stays down gets one redial attempt whose failure is reported with the original
// error.
func TestNoRetry(t *testing.T) {
	t.Run("remote error", func(t *testing.T) {
		srv := startServer(t, calc.Gob)
		client := dialRetry(t, srv.addr, calc.Gob)
		_, err := client.Do(callCtx(t), calc.OpDiv, 7, 0)
		assert.ErrorIs(t, err, calc.ErrDivisionByZero)
		assert.Equal(t, 0, client.Redials())
	})
	t.Run("context ended", func(t *testing.T) {
		srv := startServer(t, calc.Gob)
		client := dialRetry(t, srv.addr, calc.Gob)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := client.Do(ctx, calc.OpAdd, 2, 3)
		assert.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, 0, client.Redials())
	})
	t.Run("client closed", func(t *testing.T) {
		srv := startServer(t, calc.Gob)
		client := dialRetry(t, srv.addr, calc.Gob)
		require.NoError(t, client.Close())
		_, err := client.Do(callCtx(t), calc.OpAdd, 2, 3)
		assert.ErrorIs(t, err, retry.ErrClosed)
		assert.Equal(t, 0, client.Redials())
	})
	t.Run("server stays down", func(t *testing.T) {
		srv := startServer(t, calc.Gob)
		client := dialRetry(t, srv.addr, calc.Gob)
		assertAdds(t, client)
		srv.Stop(t)
		_, err := client.Do(callCtx(t), calc.OpAdd, 2, 3)
		assert.True(t, retry.Broken(err), "the original error is kept: %v", err)
		assert.ErrorIs(t, err, syscall.ECONNREFUSED, "the redial was tried")
		assert.Equal(t, 0, client.Redials())
	})
}

// TestBroken checks which errors count as a broken connection, wrapped or not.
func TestBroken(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{rpc.ErrShutdown, true},
		{io.ErrUnexpectedEOF, true},
		{fmt.Errorf("Calculator.Add: %w", io.ErrUnexpectedEOF), true},
		{&net.OpError{Op: "write", Net: "tcp", Err: os.NewSyscallError("write", syscall.EPIPE)}, true},
		{&net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}, true},
		{&net.OpError{Op: "read", Net: "tcp", Err: net.ErrClosed}, true},
		{nil, false},
		{calc.ErrDivisionByZero, false},
		{rpc.ServerError("unexpected EOF"), false},
		{context.DeadlineExceeded, false},
		{errors.New("connection is shut down"), false},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.err), func(t *testing.T) {
			assert.Equal(t, tc.want, retry.Broken(tc.err))
		})
	}
}

// server is a calc.Server on a free loopback port that a test can restart on the same port, as
// a redeployed service would be. It keeps a duplicate of the listening socket: stopping the old
// server closes its listener, but the socket stays open for the new one, so no other program can
// take the port in between (a free port comes from the same range as every outgoing
// connection's). This is also how servers hand over a socket for a restart without downtime.
type server struct {
	addr   string
	codec  calc.Codec
	socket *os.File
	stop   func() error
}

// startServer serves a Calculator on 127.0.0.1:0 until the test ends.
func startServer(t *testing.T, codec calc.Codec) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	socket, err := ln.(*net.TCPListener).File()
	require.NoError(t, err)
	t.Cleanup(func() { socket.Close() })
	s := &server{addr: ln.Addr().String(), codec: codec, socket: socket}
	s.serve(t, ln)
	return s
}

// Restart stops the server, which ends every connection, and starts a new one on the same port.
func (s *server) Restart(t *testing.T) {
	t.Helper()
	require.NoError(t, s.stop())
	ln, err := net.FileListener(s.socket)
	require.NoError(t, err)
	s.serve(t, ln)
}

// Stop stops the server for good: the port no longer accepts connections.
func (s *server) Stop(t *testing.T) {
	t.Helper()
	require.NoError(t, s.stop())
	require.NoError(t, s.socket.Close())
}

// serve runs a new calc.Server on ln until stop is called or the test ends.
func (s *server) serve(t *testing.T, ln net.Listener) {
	t.Helper()
	srv, err := calc.NewServer(calc.WithCodec(s.codec), calc.WithLogger(slog.New(slog.DiscardHandler)))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()
	stop := sync.OnceValue(func() error {
		cancel()
		return <-served
	})
	s.stop = stop
	t.Cleanup(func() { assert.NoError(t, stop()) })
}

func dialRetry(t *testing.T, addr string, codec calc.Codec) *retry.Client {
	t.Helper()
	client, err := retry.Dial(callCtx(t), addr, codec)
	require.NoError(t, err)
	t.Cleanup(func() { _ = client.Close() })
	return client
}

func dialPlain(t *testing.T, addr string, codec calc.Codec) *calc.Client {
	t.Helper()
	client, err := calc.Dial(callCtx(t), addr, codec)
	require.NoError(t, err)
	t.Cleanup(func() { _ = client.Close() })
	return client
}

// assertAdds checks that client answers 2 + 3.
func assertAdds(t *testing.T, client *retry.Client) {
	t.Helper()
	got, err := client.Do(callCtx(t), calc.OpAdd, 2, 3)
	if assert.NoError(t, err) {
		assert.Equal(t, 5, got)
	}
}

// callCtx bounds one call or dial, so a hang fails the test instead of stalling it.
func callCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}
