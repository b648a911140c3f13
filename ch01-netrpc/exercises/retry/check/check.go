// Package check holds the assertions of chapter 1's exercise "retry". The learner's stub and the
// reference solution are both run against them, so passing here means the same as the solution
// passing.
package check

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/rpc"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch01-netrpc/calc/calctest"
	"github.com/rpc-tracing/workbook/internal/exercise"
)

// Client is what the exercise's retry.Client offers.
type Client interface {
	Do(ctx context.Context, op calc.Op, a, b int) (int, error)
	Redials() int
	Close() error
}

// DialFunc connects a Client to addr, as retry.Dial does.
type DialFunc func(ctx context.Context, addr string, codec calc.Codec) (Client, error)

const hintBroken = "hint: a net/rpc client never reconnects; in Do, when Broken(err) is true, get a new " +
	"connection with redial and repeat the call once on it"

// Broken checks which errors broken counts as a broken connection, wrapped or not.
func Broken(t *testing.T, broken func(error) bool) {
	t.Helper()
	exercise.NoLeaks(t)
	tests := []struct {
		err  error
		want bool
		why  string
	}{
		{rpc.ErrShutdown, true, "net/rpc's client already knew its connection had ended"},
		{io.ErrUnexpectedEOF, true, "the server closed the connection with the call pending"},
		{fmt.Errorf("Calculator.Add: %w", io.ErrUnexpectedEOF), true, "the same, wrapped: use errors.Is, not =="},
		{&net.OpError{Op: "write", Net: "tcp", Err: os.NewSyscallError("write", syscall.EPIPE)}, true, "a write to a connection the server dropped"},
		{&net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}, true, "the server reset the connection"},
		{&net.OpError{Op: "read", Net: "tcp", Err: net.ErrClosed}, true, "another call found the connection broken first and closed it"},
		{nil, false, "no error at all"},
		{calc.ErrDivisionByZero, false, "a remote error is an answer from a working connection"},
		{rpc.ServerError("unexpected EOF"), false, "a remote error whose text only looks like a broken connection"},
		{context.DeadlineExceeded, false, "the caller's deadline passed: the caller gave up"},
		{&net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}, false, "a network error, but a deadline, not a broken connection: not every net.OpError means broken"},
		{errors.New("connection is shut down"), false, "an error that only has rpc.ErrShutdown's text"},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.err), func(t *testing.T) {
			if got := broken(tc.err); got != tc.want {
				t.Errorf("Broken(err) = %v for the error %q; want %v (%s)\n"+
					"hint: match with errors.Is against rpc.ErrShutdown, io.ErrUnexpectedEOF, syscall.ECONNRESET, "+
					"syscall.EPIPE and net.ErrClosed, and nothing else", got, fmt.Sprint(tc.err), tc.want, tc.why)
			}
		})
	}
}

// RedialAfterServerRestart restarts the server between two calls: a plain calc.Client, the
// control, finds its connection broken; the exercise's client must redial once and answer. Then
// the server hangs up on the new connection while still listening on it: after the next redial,
// the client must have closed the connection it left.
func RedialAfterServerRestart(t *testing.T, dial DialFunc) {
	t.Helper()
	exercise.NoLeaks(t)
	for _, codec := range []calc.Codec{calc.Gob, calc.JSON} {
		t.Run(codec.String(), func(t *testing.T) {
			srv := StartServer(t, codec)
			client := mustDial(t, dial, srv.Addr, codec)
			plain, err := calc.Dial(calctest.CallCtx(t), srv.Addr, codec)
			require.NoError(t, err)
			t.Cleanup(func() { _ = plain.Close() })
			requireAdds(t, client, "before the restart", "hint: Do should make the call on the current connection")
			_, err = plain.Add(calctest.CallCtx(t), 2, 3)
			require.NoError(t, err)

			srv.Restart(t)

			_, err = plain.Add(calctest.CallCtx(t), 2, 3)
			require.Error(t, err, "the control: a plain calc.Client's connection should be broken by the restart")
			requireAdds(t, client, "after the server restarted", hintBroken)
			if n := client.Redials(); n != 1 {
				t.Errorf("Redials() = %d after one restart; want 1\n"+
					"hint: redial counts each new connection in c.redials", n)
			}
			requireAdds(t, client, "on the new connection", "hint: redial must keep the new client in c.current")
			if n := client.Redials(); n != 1 {
				t.Errorf("Redials() = %d after a call on the new connection; want still 1\n"+
					"hint: keep the new connection in c.current, so the next call uses it without dialling", n)
			}

			// The server hangs up again but keeps listening on the connection: once the client has
			// redialled, it must have closed the connection it left.
			left := srv.HangUp(t)
			requireAdds(t, client, "after the server hung up", hintBroken)
			for _, closed := range left {
				select {
				case <-closed:
				case <-time.After(calctest.Patience):
					t.Errorf("the broken connection was still open %v after the client redialled\n"+
						"hint: redial must close the broken client once it has dialled a new one", calctest.Patience)
				}
			}
		})
	}
}

// ConcurrentCallsShareOneRedial has 20 calls in flight on one connection when the server goes
// away under them, so all 20 find it broken at the same moment: they must all succeed, on one new
// connection between them.
func ConcurrentCallsShareOneRedial(t *testing.T, dial DialFunc) {
	t.Helper()
	exercise.NoLeaks(t)
	srv := StartServer(t, calc.Gob)
	srv.HoldMul(t)
	client := mustDial(t, dial, srv.Addr, calc.Gob)
	requireAdds(t, client, "before the restart", "hint: Do should make the call on the current connection")

	ctx := calctest.CallCtx(t)
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Go(func() {
			got, err := client.Do(ctx, calc.OpMul, 6, 7)
			if err == nil && got != 42 {
				err = fmt.Errorf("got %d, want 42", got)
			}
			errs <- err
		})
	}
	srv.CutOffHeld(t, 20)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("one of 20 calls in flight when the server restarted failed: %v\n%s", err, hintBroken)
			break
		}
	}
	// The server counts the connections itself: a client can count its redials wrong, and a dial
	// made and thrown away is a dial all the same.
	if n, dials := client.Redials(), srv.Connections(); n != 1 || dials != 1 {
		t.Errorf("20 calls found the connection broken at the same moment: Redials() = %d, and the restarted "+
			"server accepted %d connection(s); want 1 and 1\n"+
			"hint: in redial, holding c.mu, if c.current is no longer the broken client, another call has redialled "+
			"already: return c.current instead of dialling again", n, dials)
	}
}

// NoRetry checks the cases that must not end in a new connection: a remote error is an answer, a
// context that ended is the caller giving up, a closed client stays closed (errClosed), and a
// server that stays down gets one redial attempt whose failure is reported with the original
// error.
func NoRetry(t *testing.T, dial DialFunc, errClosed error) {
	t.Helper()
	exercise.NoLeaks(t)
	t.Run("remote error", func(t *testing.T) {
		srv := StartServer(t, calc.Gob)
		client := mustDial(t, dial, srv.Addr, calc.Gob)
		_, err := client.Do(calctest.CallCtx(t), calc.OpDiv, 7, 0)
		if !errors.Is(err, calc.ErrDivisionByZero) {
			t.Errorf("Do(7 / 0) returned %v; want calc.ErrDivisionByZero\n"+
				"hint: return an error that Broken does not accept as it is", err)
		}
		noRedial(t, client, "a remote error")
	})
	t.Run("context ended", func(t *testing.T) {
		srv := StartServer(t, calc.Gob)
		client := mustDial(t, dial, srv.Addr, calc.Gob)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := client.Do(ctx, calc.OpAdd, 2, 3)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Do with a cancelled context returned %v; want context.Canceled\n"+
				"hint: an ended context is the caller giving up: return its error, do not redial", err)
		}
		noRedial(t, client, "an ended context")
	})
	t.Run("client closed", func(t *testing.T) {
		srv := StartServer(t, calc.Gob)
		client := mustDial(t, dial, srv.Addr, calc.Gob)
		require.NoError(t, client.Close())
		_, err := client.Do(calctest.CallCtx(t), calc.OpAdd, 2, 3)
		if !errors.Is(err, errClosed) {
			t.Errorf("Do after Close returned %v; want ErrClosed\n"+
				"hint: a closed client's connection reports rpc.ErrShutdown, which is Broken; redial must "+
				"then refuse with ErrClosed instead of dialling", err)
		}
		noRedial(t, client, "Close")
	})
	t.Run("server stays down", func(t *testing.T) {
		srv := StartServer(t, calc.Gob)
		client := mustDial(t, dial, srv.Addr, calc.Gob)
		requireAdds(t, client, "before the server stopped", "hint: Do should make the call on the current connection")
		srv.Stop(t)
		_, err := client.Do(calctest.CallCtx(t), calc.OpAdd, 2, 3)
		if !errors.Is(err, syscall.ECONNREFUSED) {
			t.Errorf("Do with the server gone returned %v; want the redial's connection refused in it\n%s", err, hintBroken)
		}
		if !isBroken(err) {
			t.Errorf("Do with the server gone returned %v; want the original broken-connection error kept in it\n"+
				"hint: when the redial fails too, return both errors, e.g. errors.Join(err, dialErr)", err)
		}
		noRedial(t, client, "a failed redial")
	})
}

func noRedial(t *testing.T, client Client, after string) {
	t.Helper()
	if n := client.Redials(); n != 0 {
		t.Errorf("Redials() = %d after %s; want 0\nhint: only a broken connection is worth a new one", n, after)
	}
}

func mustDial(t *testing.T, dial DialFunc, addr string, codec calc.Codec) Client {
	t.Helper()
	client, err := dial(calctest.CallCtx(t), addr, codec)
	require.NoError(t, err, "Dial")
	t.Cleanup(func() { _ = client.Close() })
	return client
}

// requireAdds checks that client answers 2 + 3, and stops the test if not: the later steps
// depend on it.
func requireAdds(t *testing.T, client Client, when, hint string) {
	t.Helper()
	got, err := client.Do(calctest.CallCtx(t), calc.OpAdd, 2, 3)
	if err != nil || got != 5 {
		t.Fatalf("Do(2 + 3) %s returned %d, %v; want 5, <nil>\n%s", when, got, err, hint)
	}
}

// isBroken is the check's own statement of a broken connection, to look for the original error
// inside what Do returned.
func isBroken(err error) bool {
	for _, target := range []error{rpc.ErrShutdown, io.ErrUnexpectedEOF, syscall.ECONNRESET, syscall.EPIPE, net.ErrClosed} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}
