// Package retry is the solution to chapter 1's second exercise: a calculator client that
// redials once when its connection has broken, for example because the server restarted.
//
// A net/rpc client never reconnects by itself: once its connection ends, every call fails with
// rpc.ErrShutdown until the program dials again. Retrying is safe here only because every
// Calculator operation is idempotent (2 + 3 is 5 however often it is asked); a call that
// changes something on the server could run twice if the connection broke after the server
// had read the request but before the reply arrived.
package retry

import (
	"context"
	"errors"
	"io"
	"net"
	"net/rpc"
	"sync"
	"syscall"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
)

// ErrClosed is returned by calls made after Close: a closed Client must not dial again.
var ErrClosed = errors.New("retry: client closed")

// Client is a calc.Client that redials once when a call finds the connection broken. It is safe
// for concurrent use; calls that fail together share one new connection.
type Client struct {
	addr  string
	codec calc.Codec

	mu      sync.Mutex
	current *calc.Client
	redials int
	closed  bool
}

// Dial connects to addr like calc.Dial and remembers where, to redial later.
func Dial(ctx context.Context, addr string, codec calc.Codec) (*Client, error) {
	c, err := calc.Dial(ctx, addr, codec)
	if err != nil {
		return nil, err
	}
	return &Client{addr: addr, codec: codec, current: c}, nil
}

// Do runs op on the server. If the connection turns out to be broken, it dials again and
// repeats the call once on the new connection; any other error (a remote error such as
// calc.ErrDivisionByZero, or ctx ending) is returned as it is.
func (c *Client) Do(ctx context.Context, op calc.Op, a, b int) (int, error) {
	conn := c.conn()
	result, err := conn.Do(ctx, op, a, b)
	if !Broken(err) {
		return result, err
	}
	fresh, dialErr := c.redial(ctx, conn)
	if dialErr != nil {
		return 0, errors.Join(err, dialErr)
	}
	return fresh.Do(ctx, op, a, b)
}

// Broken reports whether err means the connection is gone, so the call may be repeated on a new
// one: rpc.ErrShutdown (the client already knew), io.ErrUnexpectedEOF (the server closed the
// connection with the call pending), the system's reset and broken-pipe errors (a write or read
// hit a connection the server had dropped), or net.ErrClosed (another call found the connection
// broken first and closed it while this call was waiting on it).
func Broken(err error) bool {
	for _, target := range []error{rpc.ErrShutdown, io.ErrUnexpectedEOF, syscall.ECONNRESET, syscall.EPIPE, net.ErrClosed} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// Redials returns how many times the client has dialled again.
func (c *Client) Redials() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.redials
}

// Close closes the current connection; later calls fail with ErrClosed instead of redialling.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	return c.current.Close()
}

func (c *Client) conn() *calc.Client {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.current
}

// redial replaces broken with a new connection, unless another call has done so already: then
// it returns that one, so a burst of failures costs one dial, not one each.
func (c *Client) redial(ctx context.Context, broken *calc.Client) (*calc.Client, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, ErrClosed
	}
	if c.current != broken {
		return c.current, nil
	}
	fresh, err := calc.Dial(ctx, c.addr, c.codec)
	if err != nil {
		return nil, err
	}
	_ = broken.Close() // already broken: closing only releases it, and its error says so again
	c.current = fresh
	c.redials++
	return fresh, nil
}
