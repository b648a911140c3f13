package calc

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/rpc"
	"reflect"
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
		return nil, err // "dial tcp <addr>: …": the error names the address already
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
// When ctx ends first, Call returns an error wrapping ctx's cause at once; when it has ended
// already, nothing is sent. Errors returned by the Calculator (ErrDivisionByZero, ErrOverflow)
// can be matched with errors.Is.
//
// net/rpc cannot withdraw a call, so a late answer still arrives; it is decoded into a private
// value of reply's type and copied into reply only on success. That keeps a timed-out call from
// writing into reply behind the caller's back, and it avoids a gob trap: gob does not send zero
// fields, so a reused reply would keep its old Result when the new one is 0.
func (c *Client) Call(ctx context.Context, serviceMethod string, args, reply any) error {
	if ctx.Err() != nil {
		// The caller has given up already: sending the call would only make the server work.
		return fmt.Errorf("%s: %w", serviceMethod, context.Cause(ctx))
	}
	private, commit := DetachReply(reply)
	// region: call-or-give-up
	call := c.rpc.Go(serviceMethod, args, private, make(chan *rpc.Call, 1))
	select {
	case <-call.Done:
		if call.Error != nil {
			return fromRemote(call.Error)
		}
		commit()
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", serviceMethod, context.Cause(ctx))
	}
	// endregion
}

// DetachReply returns a fresh value of reply's pointer type for net/rpc to decode into, and
// commit, which copies it into reply. Call commit only once the call has succeeded: a reply that
// arrives after the caller gave up then lands in the private copy, never in the caller's
// variable. A reply that is not a non-nil pointer is passed through unchanged and net/rpc reports
// the mistake. Chapter 2's traced client uses it too.
func DetachReply(reply any) (private any, commit func()) {
	v := reflect.ValueOf(reply)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return reply, func() {}
	}
	fresh := reflect.New(v.Type().Elem())
	return fresh.Interface(), func() { v.Elem().Set(fresh.Elem()) }
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
