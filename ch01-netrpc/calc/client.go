package calc

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/rpc"
)

// Client calls a remote Calculator. net/rpc has no notion of a context, so every method here
// starts the call with rpc.Client.Go and waits for either the reply or the end of ctx: a caller
// can give up on a slow or silent server, which rpc.Client.Call alone never allows.
type Client struct {
	rpc *rpc.Client
}

// Dial connects to a Calculator at addr. ctx bounds the connection attempt (use
// context.WithTimeout); it does not bound later calls.
func Dial(ctx context.Context, addr string, codec Codec) (*Client, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", addr, err)
	}
	return NewClient(codec.NewClient(conn)), nil
}

// NewClient wraps an existing net/rpc client, for example one built on a traced codec.
func NewClient(c *rpc.Client) *Client { return &Client{rpc: c} }

// Close closes the connection; calls still waiting fail with rpc.ErrShutdown.
func (c *Client) Close() error { return c.rpc.Close() }

// Add returns a + b computed by the server.
func (c *Client) Add(ctx context.Context, a, b int) (int, error) { return c.Do(ctx, OpAdd, a, b) }

// Sub returns a - b computed by the server.
func (c *Client) Sub(ctx context.Context, a, b int) (int, error) { return c.Do(ctx, OpSub, a, b) }

// Mul returns a * b computed by the server.
func (c *Client) Mul(ctx context.Context, a, b int) (int, error) { return c.Do(ctx, OpMul, a, b) }

// Div returns a / b computed by the server.
func (c *Client) Div(ctx context.Context, a, b int) (int, error) { return c.Do(ctx, OpDiv, a, b) }

// Call invokes serviceMethod and waits for its reply or for ctx to end, whichever comes first.
// When ctx ends first the reply is discarded on arrival and the error wraps ctx's cause. Errors
// returned by the Calculator (ErrDivisionByZero, ErrOverflow) can be matched with errors.Is.
func (c *Client) Call(ctx context.Context, serviceMethod string, args, reply any) error {
	call := c.rpc.Go(serviceMethod, args, reply, make(chan *rpc.Call, 1))
	select {
	case <-call.Done:
		return fromRemote(call.Error)
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", serviceMethod, context.Cause(ctx))
	}
}

// remoteError is an rpc.ServerError whose text names one of this package's sentinel errors.
// net/rpc sends only an error's text over the wire; matching it restores errors.Is on the client.
type remoteError struct {
	rpc.ServerError
	sentinel error
}

func (e remoteError) Unwrap() []error { return []error{e.ServerError, e.sentinel} }

func fromRemote(err error) error {
	var se rpc.ServerError
	if !errors.As(err, &se) {
		return err
	}
	for _, sentinel := range []error{ErrDivisionByZero, ErrOverflow} {
		if string(se) == sentinel.Error() {
			return remoteError{ServerError: se, sentinel: sentinel}
		}
	}
	return err
}
