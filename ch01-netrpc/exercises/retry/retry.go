// Package retry is chapter 1's second exercise: a calculator client that redials once when its
// connection has broken, for example because the server restarted. A net/rpc client never
// reconnects by itself. Fill in the TODOs, then check your work with
//
//	make exercise EX=ch01/retry
//
// Before you start, ask yourself why repeating a call is safe for the Calculator, and when it
// would not be.
package retry

import (
	"context"
	"errors"
	"sync"

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

// Do runs op on the server, redialling once if the connection turns out to be broken.
func (c *Client) Do(ctx context.Context, op calc.Op, a, b int) (int, error) {
	// TODO: when the call fails with an error that Broken accepts, get a new connection with
	// c.redial and repeat the call once on it. If the redial fails too, return both errors
	// (errors.Join(err, dialErr)), so the caller sees why the call failed and why it could not
	// be repeated. Return any other error as it is: a remote error is an answer, and an ended
	// context is the caller giving up.
	return c.conn().Do(ctx, op, a, b)
}

// Broken reports whether err means the connection is gone, so the call may be repeated on a new
// one.
func Broken(err error) bool {
	// TODO: use errors.Is to recognise, wrapped or not, what a call gets when its connection is
	// gone: the client already knew (net/rpc's rpc.ErrShutdown), the server closed the connection
	// with the call pending (io.ErrUnexpectedEOF), the system reset or broke the connection
	// (syscall.ECONNRESET, syscall.EPIPE), or another call closed it first (net.ErrClosed).
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

// redial replaces broken with a new connection and returns it.
//
//lint:ignore U1000 Do calls it once you have written the exercise
func (c *Client) redial(ctx context.Context, broken *calc.Client) (*calc.Client, error) {
	// TODO: holding c.mu: return ErrClosed if the client is closed. If c.current is no longer
	// broken, another call has redialled already: return c.current, so a burst of failures costs
	// one dial. Otherwise dial c.addr with calc.Dial, close broken, keep the new client in
	// c.current and count it in c.redials.
	return nil, errors.New("retry: redial is not written yet")
}
