package tuned

import (
	"context"
	"fmt"
	"net"
	"net/rpc"
	"sync"

	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
)

// Client is a traced net/rpc client. Every Call gets a CLIENT span, child of the span in the
// caller's context, and the call carries that span's context to the server.
type Client struct {
	rpc    *rpc.Client
	codec  *clientCodec
	sendMu sync.Mutex
	cfg    *config
	tracer trace.Tracer
	starts *startCache
}

// NewClient starts a traced client speaking format over conn. The server must understand the
// format (any net/rpc server does; only a traced one continues the trace).
func NewClient(conn net.Conn, format Format, opts ...Option) (*Client, error) {
	wire, err := format.clientWire(conn)
	if err != nil {
		return nil, err
	}
	cfg := newConfig(opts)
	codec := &clientCodec{wire: wire, propagators: cfg.propagators}
	return &Client{
		rpc:    rpc.NewClientWithCodec(codec),
		codec:  codec,
		cfg:    cfg,
		tracer: cfg.tracer(),
		starts: newStartCache(trace.SpanKindClient, format, conn.RemoteAddr(), clientPeer),
	}, nil
}

// Dial connects to addr and returns a traced client; ctx bounds the connection attempt.
func Dial(ctx context.Context, addr string, format Format, opts ...Option) (*Client, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", addr, err)
	}
	c, err := NewClient(conn, format, opts...)
	if err != nil {
		conn.Close()
		return nil, err
	}
	return c, nil
}

// Close closes the connection.
func (c *Client) Close() error { return c.rpc.Close() }

// Call invokes serviceMethod and waits for the reply or for ctx to end. The span ends when the
// call does, with status Error and the error's text if it failed.
func (c *Client) Call(ctx context.Context, serviceMethod string, args, reply any) error {
	if c.cfg.filter(serviceMethod) {
		var span trace.Span
		ctx, span = c.starts.start(ctx, c.tracer, serviceMethod)
		err := c.call(ctx, serviceMethod, args, reply)
		endSpan(span, serviceMethod, errorText(err))
		return err
	}
	return c.call(ctx, serviceMethod, args, reply)
}

// call has chapter 1's safeguards: nothing is sent once ctx has ended, and a reply that arrives
// after the caller gave up never lands in the caller's variable. A context that can never end
// (ctx.Done() is nil) cannot make the caller give up, so its reply needs no private copy.
func (c *Client) call(ctx context.Context, serviceMethod string, args, reply any) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%s: %w", serviceMethod, context.Cause(ctx))
	}
	if ctx.Done() == nil {
		return (<-c.send(ctx, serviceMethod, args, reply).Done).Error
	}
	private, commit := calc.DetachReply(reply)
	call := c.send(ctx, serviceMethod, args, private)
	select {
	case <-call.Done:
		if call.Error == nil {
			commit()
		}
		return call.Error
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", serviceMethod, context.Cause(ctx))
	}
}

func errorText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// region: outgoing

// send hands the call to net/rpc with ctx parked in the codec. net/rpc's Client.Go writes the
// request before it returns, on this goroutine and under its own send lock, so the codec's
// WriteRequest, which net/rpc calls without a context, finds exactly this call's context there.
// (net/rpc is frozen: that order will not change.) sendMu keeps two callers from parking theirs
// at once; it serialises nothing that net/rpc did not already serialise.
func (c *Client) send(ctx context.Context, serviceMethod string, args, reply any) *rpc.Call {
	c.sendMu.Lock()
	defer c.sendMu.Unlock()
	c.codec.ctx = ctx
	defer func() { c.codec.ctx = nil }()
	return c.rpc.Go(serviceMethod, args, reply, make(chan *rpc.Call, 1))
}

// clientCodec injects the caller's trace context into each request's metadata.
type clientCodec struct {
	wire        clientWire
	propagators propagation.TextMapPropagator
	// ctx is the context of the call being sent (see Client.send); nil between calls.
	ctx context.Context
	// meta is reused from request to request: net/rpc's client sends one request at a time.
	meta carrier
}

func (c *clientCodec) WriteRequest(r *rpc.Request, body any) error {
	ctx := c.ctx
	if ctx == nil { // not sent through Client.send: there is no caller context to carry
		ctx = context.Background()
	}
	c.meta = c.meta[:0]
	c.propagators.Inject(ctx, &c.meta)
	return c.wire.writeRequest(r, c.meta, body)
}

// endregion

func (c *clientCodec) ReadResponseHeader(r *rpc.Response) error { return c.wire.ReadResponseHeader(r) }
func (c *clientCodec) ReadResponseBody(body any) error          { return c.wire.ReadResponseBody(body) }
func (c *clientCodec) Close() error                             { return c.wire.Close() }
